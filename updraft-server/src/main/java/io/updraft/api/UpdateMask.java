package io.updraft.api;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@code PATCH}'s {@code update_mask} (Airflow's): the fields to change, comma separated or
 * repeated. Without one, every field the body gives (not null) changes; with one, only those it
 * names, and a named field that is null or absent is cleared where it may be.
 */
final class UpdateMask {
  private UpdateMask() {}

  /** The named fields; empty when there is no mask. A field not in {@code allowed} is a 400. */
  static List<String> of(Context ctx, List<String> allowed) {
    List<String> fields = new ArrayList<>();
    for (String value : ctx.queryParams("update_mask")) {
      Arrays.stream(value.split(","))
          .map(String::trim)
          .filter(f -> !f.isEmpty())
          .forEach(fields::add);
    }
    for (String f : fields) {
      if (!allowed.contains(f)) {
        throw ApiException.badRequest(
            "update_mask: '"
                + f
                + "' cannot be changed; the fields that can are "
                + String.join(", ", allowed));
      }
    }
    return fields;
  }

  /** The body's value when it should change the field, else null (left as it is). */
  static <T> T pick(List<String> mask, String field, T value) {
    return mask.isEmpty() || mask.contains(field) ? value : null;
  }

  /**
   * As {@link #pick}, for a text field that may be cleared: a field the mask names with a null
   * value becomes {@code ""}, which the actions store as none.
   */
  static String pickClearable(List<String> mask, String field, String value) {
    if (mask.contains(field) && value == null) {
      return "";
    }
    return pick(mask, field, value);
  }
}
