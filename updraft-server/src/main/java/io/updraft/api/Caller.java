package io.updraft.api;

/**
 * Who made a request, from their token: a username and that user's role when it was issued; for a
 * task token ({@link TaskTokens}), the try it names.
 *
 * @param task the try a task token is limited to; null for a user's token
 */
public record Caller(String username, Role role, TaskTokens.Scope task) {
  public Caller(String username, Role role) {
    this(username, role, null);
  }
}
