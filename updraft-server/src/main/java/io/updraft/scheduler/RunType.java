package io.updraft.scheduler;

import java.util.Locale;

/** Why a DagRun exists; part of its run_id. */
public enum RunType {
  SCHEDULED,
  MANUAL,
  BACKFILL;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
