package io.updraft.api;

/** Who made a request, from their token: a username and that user's role when it was issued. */
public record Caller(String username, Role role) {}
