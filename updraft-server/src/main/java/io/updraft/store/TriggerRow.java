package io.updraft.store;

import java.time.Instant;

/**
 * One row of {@code deferred_trigger} (Airflow's {@code trigger} table).
 *
 * @param kind what it holds ({@code classpath}; see {@link io.updraft.sensors.TriggerKinds})
 * @param kwargs its arguments as JSON
 * @param triggererId the triggerer job that runs it; null: none yet (or released)
 */
public record TriggerRow(
    long id, String kind, String kwargs, Instant createdDate, Long triggererId) {}
