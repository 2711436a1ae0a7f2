package io.updraft.store;

/**
 * Where a database's schema stands against the migrations this Updraft carries.
 *
 * @param current the latest applied migration version, null when there is no Updraft schema
 * @param required the latest migration version this Updraft knows
 */
public record SchemaStatus(State state, String current, String required) {
  public enum State {
    /** No Updraft schema at all. */
    EMPTY,
    /** Older than this Updraft: migrations are pending. */
    BEHIND,
    /** Exactly what this Updraft needs. */
    CURRENT,
    /** Migrated by a newer Updraft. */
    AHEAD,
    /** A migration failed half-way (possible on MySQL, whose DDL is not transactional). */
    FAILED
  }

  public boolean isCurrent() {
    return state == State.CURRENT;
  }
}
