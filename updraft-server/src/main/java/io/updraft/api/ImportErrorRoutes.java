package io.updraft.api;

import io.updraft.store.Database;
import io.updraft.store.ImportErrorRepository;
import io.updraft.store.ImportErrorRow;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v2/importErrors}: why DAG files could not be loaded, as the DAG processor recorded
 * it. Airflow keeps one error per file with its whole traceback in {@code stack_trace}; Updraft
 * keeps one per problem with its position, so {@code stack_trace} is the message with its line and
 * column, then the stack trace when there is one. Every file is in the one bundle Updraft has,
 * {@code dags-folder} (Airflow 3's name for the DAGs folder's bundle).
 */
final class ImportErrorRoutes {
  static final String BUNDLE = "dags-folder";

  private ImportErrorRoutes() {}

  public record ImportErrorResponse(
      long importErrorId,
      String timestamp,
      String filename,
      String bundleName,
      String stackTrace) {}

  public record ImportErrorCollection(List<ImportErrorResponse> importErrors, int totalEntries) {}

  private static final Map<String, Comparator<ImportErrorResponse>> ORDERS =
      Map.of(
          "import_error_id", Comparator.comparing(ImportErrorResponse::importErrorId),
          "id", Comparator.comparing(ImportErrorResponse::importErrorId),
          "timestamp",
              Comparator.comparing(ImportErrorResponse::timestamp)
                  .thenComparing(ImportErrorResponse::importErrorId),
          "filename",
              Comparator.comparing(ImportErrorResponse::filename)
                  .thenComparing(ImportErrorResponse::importErrorId));

  static List<Route> routes(Database db) {
    return List.of(
        Route.get(
                "/api/v2/importErrors",
                Role.VIEWER,
                "List import errors",
                ImportErrorCollection.class,
                (ctx, caller) -> {
                  Paging paging = Paging.of(ctx, "import_error_id", List.copyOf(ORDERS.keySet()));
                  List<ImportErrorResponse> all =
                      new ImportErrorRepository(db)
                          .list().stream().map(ImportErrorRoutes::response).toList();
                  return new ImportErrorCollection(paging.page(all, ORDERS), all.size());
                })
            .withQuery("limit", "integer", "at most this many (default 50, at most 100)")
            .withQuery("offset", "integer", "skip this many")
            .withQuery("order_by", "string", "import_error_id (default), timestamp, filename"),
        Route.get(
            "/api/v2/importErrors/{import_error_id}",
            Role.VIEWER,
            "Get an import error",
            ImportErrorResponse.class,
            (ctx, caller) -> {
              String text = ctx.pathParam("import_error_id");
              long id = Params.id("import_error_id", text);
              return response(
                  new ImportErrorRepository(db)
                      .get(id)
                      .orElseThrow(
                          () ->
                              ApiException.notFound(
                                  "there is no import error "
                                      + id
                                      + " (GET /api/v2/importErrors lists them)")));
            }));
  }

  private static ImportErrorResponse response(ImportErrorRow e) {
    StringBuilder trace = new StringBuilder(e.message());
    if (e.lineNumber() != null) {
      trace.append(" (line ").append(e.lineNumber());
      if (e.columnNumber() != null) {
        trace.append(", column ").append(e.columnNumber());
      }
      trace.append(')');
    }
    if (e.stacktrace() != null && !e.stacktrace().isBlank()) {
      trace.append('\n').append(e.stacktrace());
    }
    return new ImportErrorResponse(
        e.id(), Json.instant(e.timestamp()), e.filename(), BUNDLE, trace.toString());
  }
}
