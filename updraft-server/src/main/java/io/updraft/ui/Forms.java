package io.updraft.ui;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.updraft.UpdraftException;
import io.updraft.api.ApiException;

/**
 * A form's POST: do the write, then go back to the list (303); a refused write (bad input, a name
 * taken, …) shows the list again with the message on the form and a 4xx status.
 */
final class Forms {
  private Forms() {}

  @FunctionalInterface
  interface Write {
    void run();
  }

  @FunctionalInterface
  interface Listing {
    View show(String error);
  }

  static View submit(Context ctx, String back, Write write, Listing list) {
    try {
      write.run();
    } catch (ApiException e) {
      return list.show(e.getMessage()).withStatus(e.status());
    } catch (UpdraftException | IllegalArgumentException e) {
      return list.show(e.getMessage()).withStatus(400);
    }
    ctx.redirect(back, HttpStatus.SEE_OTHER);
    return null;
  }

  /** A required form field, trimmed; 400 naming it when missing or blank. */
  static String required(Context ctx, String name) {
    String v = ctx.formParam(name);
    if (v == null || v.isBlank()) {
      throw ApiException.badRequest(name + " is required");
    }
    return v.trim();
  }

  /** An optional field: null when missing or blank. */
  static String optional(Context ctx, String name) {
    String v = ctx.formParam(name);
    return v == null || v.isBlank() ? null : v;
  }

  /** An optional whole number; 400 naming the field when it is not one. */
  static Integer integer(Context ctx, String name) {
    String v = optional(ctx, name);
    if (v == null) {
      return null;
    }
    try {
      return Integer.valueOf(v.trim());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + " must be a whole number, not '" + v + "'");
    }
  }
}
