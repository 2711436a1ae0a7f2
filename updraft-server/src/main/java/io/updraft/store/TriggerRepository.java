package io.updraft.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code deferred_trigger} table: triggers written when a task instance defers (see {@link
 * TaskInstanceDeferrals}), claimed by triggerers, deleted when their task instance ends or is
 * cleared. All SQL on the table is here.
 */
public final class TriggerRepository {
  private final Database database;

  public TriggerRepository(Database database) {
    this.database = database;
  }

  /**
   * Claims up to {@code max} triggers for triggerer job {@code triggererId}: those no triggerer
   * holds, and those held by a triggerer not in {@code alive} (its heartbeat is older than {@code
   * scheduler.scheduler_health_check_threshold}). Rows are locked {@code FOR UPDATE SKIP LOCKED},
   * so two triggerers never claim one trigger. Oldest first.
   *
   * @return the triggers claimed now
   */
  public List<TriggerRow> claim(long triggererId, Collection<Long> alive, int max, Instant now) {
    throw new UnsupportedOperationException("written by the store helper");
  }

  /** The ids of the triggers {@code triggererId} holds now (a cleared task's trigger is gone). */
  public Set<Long> heldBy(long triggererId) {
    throw new UnsupportedOperationException("written by the store helper");
  }

  /** Lets go of every trigger {@code triggererId} holds (a graceful stop): others take them. */
  public int release(long triggererId) {
    throw new UnsupportedOperationException("written by the store helper");
  }

  public Optional<TriggerRow> get(long id) {
    throw new UnsupportedOperationException("written by the store helper");
  }

  /** How many triggers exist, held or not (for metrics and tests). */
  public int count() {
    throw new UnsupportedOperationException("written by the store helper");
  }
}
