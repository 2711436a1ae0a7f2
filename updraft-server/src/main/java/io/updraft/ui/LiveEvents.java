package io.updraft.ui;

import io.javalin.http.Context;
import io.javalin.http.sse.SseHandler;
import io.updraft.api.Role;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * {@code GET /ui/events?dag_id=…}: a page's Server-Sent Events stream of state changes (event
 * {@code states}, see {@link LiveFeed#json}), for the DAGs named (repeat {@code dag_id}; none:
 * every DAG). A Viewer may watch; signed out is 401, as the stream cannot follow a redirect.
 */
final class LiveEvents {
  static final String PATH = "/ui/events";
  private static final int MAX_DAGS = 500;

  private LiveEvents() {}

  static void open(Context ctx, Sessions sessions, LiveFeed feed) throws Exception {
    WebUi.securityHeaders(ctx);
    Session session = sessions.current(ctx);
    if (session == null) {
      ctx.status(401).result("signed out");
      return;
    }
    if (!session.caller().role().allows(Role.VIEWER)) {
      ctx.status(403).result("your role may not read the UI");
      return;
    }
    Set<String> dags = new LinkedHashSet<>(ctx.queryParams("dag_id"));
    if (dags.size() > MAX_DAGS) {
      dags = Set.of();
    }
    Set<String> watched = dags;
    new SseHandler(
            client -> {
              client.keepAlive();
              client.sendComment("watching");
              feed.add(client, watched);
            })
        .handle(ctx);
  }
}
