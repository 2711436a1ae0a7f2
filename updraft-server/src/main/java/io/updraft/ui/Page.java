package io.updraft.ui;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.updraft.api.Role;

/**
 * One page or form action of the web UI: its method and path, the role it needs ({@code null}: no
 * sign-in) and what it does. {@link WebUi} registers every page behind the same session and role
 * check, and every POST behind the CSRF check, so a page cannot forget either.
 */
record Page(HandlerType method, String path, Role role, Action action) {

  /** What a page does once the caller is known to hold its role. */
  @FunctionalInterface
  interface Action {
    /**
     * @param session null on a page that needs no sign-in
     * @return the view to render, or null when the action wrote the response itself (a redirect)
     */
    View handle(Context ctx, Session session) throws Exception;
  }

  static Page get(String path, Role role, Action action) {
    return new Page(HandlerType.GET, path, role, action);
  }

  static Page post(String path, Role role, Action action) {
    return new Page(HandlerType.POST, path, role, action);
  }
}
