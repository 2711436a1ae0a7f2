package io.updraft.sensors;

import java.util.Locale;

/** How a sensor waits (SPEC §1.9). */
public enum SensorMode {
  /** In the triggerer: no worker, no pool slot, no executor slot (the default). */
  DEFER,
  /** A short try per check; {@code up_for_reschedule} between checks, holding nothing. */
  RESCHEDULE,
  /** One try that checks in a loop, holding its slot (Airflow compatibility). */
  POKE;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The mode named {@code id} ({@code defer}, {@code reschedule}, {@code poke}). */
  public static SensorMode fromId(String id) {
    return valueOf(id.strip().toUpperCase(Locale.ROOT));
  }
}
