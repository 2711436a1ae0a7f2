package io.updraft.ui;

import io.updraft.api.Caller;
import io.updraft.api.Role;

/**
 * A signed-in browser: who it is and the CSRF token its forms must send back (in a hidden {@code
 * _csrf} field, or the {@code X-CSRF-Token} header for htmx requests). Public, as everything a
 * template reads must be: Pebble reads only public classes' public members.
 */
public record Session(Caller caller, String csrf) {
  public String username() {
    return caller.username();
  }

  /** Whether the user's role may do what {@code needed} allows (templates hide what it may not). */
  public boolean can(String needed) {
    return caller.role().allows(Role.parse(needed));
  }
}
