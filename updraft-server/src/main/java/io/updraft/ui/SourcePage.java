package io.updraft.ui;

import io.updraft.api.DagSourceFile;
import io.updraft.api.Role;
import io.updraft.store.DagRow;
import java.util.List;
import java.util.Map;

/**
 * {@code /dags/{dag_id}/source}: the text of the DAG's file, numbered by line, read by the same
 * rule as the API's {@code dagSources} ({@link DagSourceFile}: only under the DAGs folder).
 */
final class SourcePage {
  private SourcePage() {}

  static List<Page> pages(Ui ui) {
    Lookup find = new Lookup(ui);
    return List.of(
        Page.get(
            "/dags/{dag_id}/source",
            Role.VIEWER,
            (ctx, session) -> {
              DagRow dag = find.dag(ctx.pathParam("dag_id"));
              String text = DagSourceFile.read(ui.dagsFolder(), dag);
              List<String> lines = List.of(text.split("\r?\n", -1));
              if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                lines = lines.subList(0, lines.size() - 1);
              }
              return View.of("source", Map.of("dag", dag, "lines", lines));
            }));
  }
}
