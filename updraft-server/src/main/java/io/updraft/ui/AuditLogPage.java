package io.updraft.ui;

import io.updraft.api.ApiException;
import io.updraft.api.Params;
import io.updraft.api.Role;
import io.updraft.store.LogRepository;
import io.updraft.store.LogRow;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /audit-log}: the {@code log} table, newest first, a page at a time, filtered by DAG, event
 * and owner (who did it).
 */
final class AuditLogPage {
  static final int PAGE_SIZE = 100;

  private AuditLogPage() {}

  static List<Page> pages(Ui ui) {
    return List.of(
        Page.get(
            "/audit-log",
            Role.VIEWER,
            (ctx, session) -> {
              String dagId = blankToNull(ctx.queryParam("dag_id"));
              String event = blankToNull(ctx.queryParam("event"));
              String owner = blankToNull(ctx.queryParam("owner"));
              int offset = Params.integer(ctx, "offset", 0);
              if (offset < 0) {
                throw ApiException.badRequest("offset " + offset + " is negative");
              }
              LogRepository.Filter f =
                  new LogRepository.Filter(
                      dagId, null, null, null, null, owner, event, null, null, null, null);
              LogRepository log = new LogRepository(ui.db());
              List<LogRow> rows = log.page(f, "id", true, PAGE_SIZE, offset);
              Map<String, Object> model = new HashMap<>();
              model.put("rows", rows);
              model.put("dagId", dagId == null ? "" : dagId);
              model.put("event", event == null ? "" : event);
              model.put("owner", owner == null ? "" : owner);
              model.put("paging", RunPages.Paging.of(offset, PAGE_SIZE, log.count(f)));
              model.put(
                  "pageBase",
                  "/audit-log?"
                      + (dagId == null ? "" : "dag_id=" + Formats.url(dagId) + "&")
                      + (event == null ? "" : "event=" + Formats.url(event) + "&")
                      + (owner == null ? "" : "owner=" + Formats.url(owner) + "&"));
              return View.of("audit_log", model);
            }));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
