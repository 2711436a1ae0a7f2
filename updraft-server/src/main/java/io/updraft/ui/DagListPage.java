package io.updraft.ui;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.updraft.api.ApiException;
import io.updraft.api.Role;
import io.updraft.scheduler.DagActions;
import io.updraft.scheduler.DagTags;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRow;
import io.updraft.store.ImportErrorRepository;
import io.updraft.store.RecentDagRuns;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code /dags}: the active DAGs, searched by dag_id, filtered by tags and paused, 100 a page, each
 * with its newest runs' states; and {@code POST /dags/{dag_id}/pause}. A fixed number of queries
 * whatever the number of DAGs: the DAGs, their tags ({@link DagTags}), the page's recent runs (one
 * query) and the import errors.
 */
final class DagListPage {
  static final int PAGE_SIZE = 100;
  static final int RECENT_RUNS = 5;

  private DagListPage() {}

  static List<Page> pages(Ui ui) {
    return List.of(
        Page.get(
            "/",
            Role.VIEWER,
            (ctx, session) -> {
              ctx.redirect("/dags");
              return null;
            }),
        Page.get("/dags", Role.VIEWER, (ctx, session) -> list(ui, ctx)),
        Page.post("/dags/{dag_id}/pause", Role.USER, (ctx, session) -> pause(ui, ctx, session)));
  }

  private static View list(Ui ui, Context ctx) {
    String q = trimmed(ctx.queryParam("q"));
    Set<String> wanted = new TreeSet<>();
    ctx.queryParams("tags").stream().filter(t -> !t.isBlank()).forEach(wanted::add);
    String paused = trimmed(ctx.queryParam("paused"));
    if (!paused.isEmpty() && !paused.equals("true") && !paused.equals("false")) {
      throw ApiException.badRequest("paused must be true, false or empty, not '" + paused + "'");
    }
    int page = pageNumber(ctx.queryParam("page"));

    Map<String, List<String>> tags = ui.tags().all();
    Set<String> allTags = new TreeSet<>();
    tags.values().forEach(allTags::addAll);
    String needle = q.toLowerCase(Locale.ROOT);
    List<DagRow> matching =
        new DagRepository(ui.db())
            .list().stream()
                .filter(DagRow::active)
                .filter(
                    d -> needle.isEmpty() || d.dagId().toLowerCase(Locale.ROOT).contains(needle))
                .filter(d -> paused.isEmpty() || d.paused() == paused.equals("true"))
                .filter(
                    d ->
                        wanted.isEmpty()
                            || tags.getOrDefault(d.dagId(), List.of()).stream()
                                .anyMatch(wanted::contains))
                .toList();
    int pages = Math.max(1, (matching.size() + PAGE_SIZE - 1) / PAGE_SIZE);
    int from = Math.min((page - 1) * PAGE_SIZE, matching.size());
    List<DagRow> shown = matching.subList(from, Math.min(matching.size(), from + PAGE_SIZE));
    Map<String, List<RecentDagRuns.Recent>> recent =
        new RecentDagRuns(ui.db()).of(shown.stream().map(DagRow::dagId).toList(), RECENT_RUNS);
    List<DagListItem> items = new ArrayList<>(shown.size());
    for (DagRow d : shown) {
      List<RunDot> dots = new ArrayList<>();
      for (RecentDagRuns.Recent r : recent.getOrDefault(d.dagId(), List.of()).reversed()) {
        dots.add(
            new RunDot(
                r.runId(),
                r.state().id(),
                Times.show(r.logicalDate() != null ? r.logicalDate() : r.runAfter())));
      }
      items.add(
          new DagListItem(
              d.dagId(),
              d.owners() == null ? "" : d.owners(),
              d.timetableSummary() == null ? "None" : d.timetableSummary(),
              d.paused(),
              d.next() == null ? "" : Times.show(d.next().logicalDate()),
              tags.getOrDefault(d.dagId(), List.of()),
              dots));
    }
    int importErrors = new ImportErrorRepository(ui.db()).list().size();
    Map<String, Object> model = new HashMap<>();
    model.put("dags", items);
    model.put("q", q);
    model.put("selectedTags", List.copyOf(wanted));
    model.put("allTags", List.copyOf(allTags));
    model.put("pausedFilter", paused);
    model.put("total", matching.size());
    model.put("page", page);
    model.put("pages", pages);
    model.put("prevUrl", page > 1 ? pageUrl(q, wanted, paused, page - 1) : "");
    model.put("nextUrl", page < pages ? pageUrl(q, wanted, paused, page + 1) : "");
    model.put("importErrors", importErrors);
    model.put("dagIds", items.stream().map(DagListItem::dagId).toList());
    return View.of("dags", model);
  }

  private static View pause(Ui ui, Context ctx, Session session) {
    String dagId = ctx.pathParam("dag_id");
    String value = trimmed(ctx.formParam("paused"));
    if (!value.equals("true") && !value.equals("false")) {
      throw ApiException.badRequest("paused must be true or false, not '" + value + "'");
    }
    boolean paused = value.equals("true");
    if (!DagActions.setPaused(ui.db(), dagId, paused, session.username(), ui.clock().instant())) {
      throw ApiException.notFound("no DAG '" + dagId + "'");
    }
    if (ctx.header("HX-Request") != null) {
      return View.of(
          "pause_button",
          Map.of("dagId", dagId, "paused", paused, "next", WebUi.localPath(ctx.formParam("next"))));
    }
    ctx.redirect(WebUi.localPath(ctx.formParam("next")), HttpStatus.SEE_OTHER);
    return null;
  }

  private static String pageUrl(String q, Set<String> tags, String paused, int page) {
    StringBuilder s = new StringBuilder("/dags?page=").append(page);
    if (!q.isEmpty()) {
      s.append("&q=").append(URLEncoder.encode(q, StandardCharsets.UTF_8));
    }
    for (String t : tags) {
      s.append("&tags=").append(URLEncoder.encode(t, StandardCharsets.UTF_8));
    }
    if (!paused.isEmpty()) {
      s.append("&paused=").append(paused);
    }
    return s.toString();
  }

  private static int pageNumber(String raw) {
    if (raw == null || raw.isBlank()) {
      return 1;
    }
    try {
      int n = Integer.parseInt(raw.trim());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw ApiException.badRequest("page must be a whole number from 1, not '" + raw + "'");
  }

  static String trimmed(String s) {
    return s == null ? "" : s.trim();
  }
}
