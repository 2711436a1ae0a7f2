package io.updraft.ui;

import io.updraft.api.Role;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRow;
import java.util.List;
import java.util.Map;

/** {@code /dags}: the DAGs the database knows ({@code /} comes here). */
final class DagListPage {
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
        Page.get(
            "/dags",
            Role.VIEWER,
            (ctx, session) -> {
              List<DagRow> dags =
                  new DagRepository(ui.db()).list().stream().filter(DagRow::active).toList();
              return View.of("dags", Map.of("dags", dags));
            }));
  }
}
