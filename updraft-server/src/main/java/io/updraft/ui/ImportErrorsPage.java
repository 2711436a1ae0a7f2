package io.updraft.ui;

import io.updraft.api.Role;
import io.updraft.store.ImportErrorRepository;
import java.util.List;
import java.util.Map;

/** {@code /import-errors}: the DAG files that could not be read, with where and the trace. */
final class ImportErrorsPage {
  private ImportErrorsPage() {}

  static List<Page> pages(Ui ui) {
    return List.of(
        Page.get(
            "/import-errors",
            Role.VIEWER,
            (ctx, session) ->
                View.of(
                    "import_errors", Map.of("errors", new ImportErrorRepository(ui.db()).list()))));
  }
}
