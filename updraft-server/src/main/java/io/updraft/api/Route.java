package io.updraft.api;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;

/**
 * One endpoint: its method and path (Airflow's, with {@code {name}} path parameters), the role it
 * needs ({@code null}: no sign-in), what it reads and answers. The server registers it and the
 * OpenAPI document describes it from this one record, so the two cannot disagree.
 *
 * @param body the request record, or null
 * @param response the response record written with {@code status}; null: no body (204)
 */
public record Route(
    HandlerType method,
    String path,
    Role role,
    String summary,
    List<QueryParam> query,
    Class<?> body,
    Class<?> response,
    int status,
    Action action) {

  /** What an endpoint does once the caller is known to hold its role; returns the response. */
  @FunctionalInterface
  public interface Action {
    /**
     * @param caller null on an endpoint that needs no sign-in
     */
    Object handle(Context ctx, Caller caller) throws Exception;
  }

  /**
   * An answer that is not JSON (a log as {@code text/plain}): an action returns it when the client
   * asked for it, and the server writes it as it is.
   */
  public record Text(String contentType, String body) {}

  /** A query parameter, for the OpenAPI document. */
  public record QueryParam(String name, String type, String description) {}

  public Route {
    query = List.copyOf(query);
  }

  public static Route get(String path, Role role, String summary, Class<?> response, Action a) {
    return new Route(HandlerType.GET, path, role, summary, List.of(), null, response, 200, a);
  }

  public static Route post(
      String path, Role role, String summary, Class<?> body, Class<?> response, Action a) {
    return new Route(HandlerType.POST, path, role, summary, List.of(), body, response, 200, a);
  }

  public static Route patch(
      String path, Role role, String summary, Class<?> body, Class<?> response, Action a) {
    return new Route(HandlerType.PATCH, path, role, summary, List.of(), body, response, 200, a);
  }

  /** A delete: 204 and no body, as Airflow answers one. */
  public static Route delete(String path, Role role, String summary, Action a) {
    return new Route(HandlerType.DELETE, path, role, summary, List.of(), null, null, 204, a);
  }

  public Route withStatus(int ok) {
    return new Route(method, path, role, summary, query, body, response, ok, action);
  }

  public Route withQuery(String name, String type, String description) {
    List<QueryParam> q = new ArrayList<>(query);
    q.add(new QueryParam(name, type, description));
    return new Route(method, path, role, summary, q, body, response, status, action);
  }

  /** The names of the path's parameters, in order. */
  public List<String> pathParams() {
    List<String> names = new ArrayList<>();
    for (String part : path.split("/")) {
      if (part.startsWith("{") && part.endsWith("}")) {
        names.add(part.substring(1, part.length() - 1));
      }
    }
    return names;
  }
}
