package io.updraft.api;

import io.javalin.http.Context;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A list endpoint's {@code limit}, {@code offset} and {@code order_by} (Airflow's: at most 100 a
 * page, 50 by default; {@code order_by=-field} sorts descending), checked with a 422 naming the
 * parameter.
 */
public record Paging(int limit, int offset, String orderBy, boolean descending) {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 100;

  /** Reads the parameters; {@code orderFields} are the fields {@code order_by} may name. */
  public static Paging of(Context ctx, String defaultOrder, List<String> orderFields) {
    int limit = Params.integer(ctx, "limit", DEFAULT_LIMIT);
    int offset = Params.integer(ctx, "offset", 0);
    if (limit < 0) {
      throw ApiException.unprocessable("limit must be 0 or more, not " + limit);
    }
    if (offset < 0) {
      throw ApiException.unprocessable("offset must be 0 or more, not " + offset);
    }
    String order = ctx.queryParam("order_by");
    order = order == null || order.isBlank() ? defaultOrder : order.trim();
    boolean desc = order.startsWith("-");
    String field = desc ? order.substring(1) : order;
    if (!orderFields.contains(field)) {
      throw ApiException.badRequest(
          "order_by: cannot order by '"
              + field
              + "'; use one of "
              + String.join(", ", orderFields)
              + " (with a leading - for descending)");
    }
    return new Paging(Math.min(limit, MAX_LIMIT), offset, field, desc);
  }

  /** One page of {@code all}, sorted by the key {@code order_by} names. */
  public <T> List<T> page(List<T> all, Map<String, Comparator<T>> orders) {
    Comparator<T> c = orders.get(orderBy);
    if (descending) {
      c = c.reversed();
    }
    return all.stream().sorted(c).skip(offset).limit(limit).toList();
  }
}
