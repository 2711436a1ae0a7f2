package io.updraft.api;

import io.updraft.store.DagRow;
import io.updraft.store.Database;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.StoredDag;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code GET /api/v2/dagSources/{dag_id}}: the text of the file a DAG was read from. The database
 * keeps the file's path ({@code dag.fileloc}), not its text, so the server reads the file by the
 * rule the UI's source page reads it by too ({@link DagSourceFile}: only under the DAGs folder,
 * only text, at most {@value DagSourceFile#MAX_BYTES} bytes). It shows the file as it is now:
 * {@code version_number} is the DAG's newest version, and an older one is not kept
 * (decisions/0107).
 */
final class DagSourceRoutes {
  private DagSourceRoutes() {}

  public record DagSourceResponse(String content, String dagId, Integer versionNumber) {}

  static List<Route> routes(Database db, Path dagsFolder) {
    return List.of(
        Route.get(
                "/api/v2/dagSources/{dag_id}",
                Role.VIEWER,
                "Get the source of a DAG's file",
                DagSourceResponse.class,
                (ctx, caller) -> {
                  String dagId = ctx.pathParam("dag_id");
                  DagRow dag = DagRoutes.require(db, dagId);
                  Integer version =
                      new SerializedDagRepository(db)
                          .latest(dagId)
                          .map(StoredDag::versionNumber)
                          .orElse(null);
                  Integer asked = Params.optionalInteger(ctx, "version_number");
                  if (asked != null && !asked.equals(version)) {
                    throw ApiException.notFound(
                        "DAG '"
                            + dagId
                            + "' has no source of version "
                            + asked
                            + ": only the file as it is now (version "
                            + version
                            + ") can be shown");
                  }
                  return new DagSourceResponse(DagSourceFile.read(dagsFolder, dag), dagId, version);
                })
            .withQuery("version_number", "integer", "only this version (the newest is kept)"));
  }
}
