package io.updraft.api;

import io.javalin.security.RouteRole;
import io.updraft.UpdraftException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Who may do what through the API, with Airflow's meanings (SPEC §3): each of Viewer, User, Op and
 * Admin may do everything the one before it may, and more; Worker is apart, for the execution
 * endpoints a remote worker calls, and may do nothing else.
 */
public enum Role implements RouteRole {
  /** Reads everything (except users). */
  VIEWER,
  /** Viewer + trigger, clear, pause, mark. */
  USER,
  /** User + pools, variables, connections. */
  OP,
  /** Op + users. */
  ADMIN,
  /** The execution endpoints only (a remote worker's token). */
  WORKER;

  /** The role's name as stored and as given to {@code users create --role}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether a user with this role may call an endpoint that needs {@code needed}. */
  public boolean allows(Role needed) {
    if (needed == WORKER) {
      return this == WORKER || this == ADMIN;
    }
    return this != WORKER && ordinal() >= needed.ordinal();
  }

  /** A role from its name, in any case; a one-line error listing the roles otherwise. */
  public static Role parse(String text) {
    for (Role r : values()) {
      if (r.id().equalsIgnoreCase(text == null ? "" : text.trim())) {
        return r;
      }
    }
    throw new UpdraftException(
        "unknown role '" + text + "': use one of " + names() + " (SPEC §3 says what each may do)");
  }

  /** The roles' names, comma separated. */
  public static String names() {
    return Arrays.stream(values()).map(Role::id).collect(Collectors.joining(", "));
  }
}
