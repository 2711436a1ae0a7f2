package io.updraft.api;

import io.updraft.store.DagRow;
import io.updraft.store.Database;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.StoredDag;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code GET /api/v2/dagSources/{dag_id}}: the text of the file a DAG was read from. The database
 * keeps the file's path ({@code dag.fileloc}), not its text, so the server reads the file — only
 * under the DAGs folder it was given (a path that leads elsewhere, through {@code ..} or a link, is
 * refused), only text, at most {@value #MAX_BYTES} bytes. It shows the file as it is now: {@code
 * version_number} is the DAG's newest version, and an older one is not kept (decisions/0107).
 */
final class DagSourceRoutes {
  static final int MAX_BYTES = 1 << 20;

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
                  return new DagSourceResponse(read(dagsFolder, dag), dagId, version);
                })
            .withQuery("version_number", "integer", "only this version (the newest is kept)"));
  }

  private static String read(Path dagsFolder, DagRow dag) {
    if (dagsFolder == null || dag.fileloc() == null) {
      throw ApiException.notFound(
          "the source of DAG '"
              + dag.dagId()
              + "' is not available: this API server was started without a DAGs folder");
    }
    Path file;
    try {
      Path root = dagsFolder.toRealPath();
      Path given = Path.of(dag.fileloc());
      file = (given.isAbsolute() ? given : root.resolve(given)).toRealPath();
      if (!file.startsWith(root) || !Files.isRegularFile(file)) {
        throw ApiException.notFound(
            "the source of DAG '"
                + dag.dagId()
                + "' is not available: its file is not in the DAGs folder "
                + dagsFolder);
      }
    } catch (IOException | java.nio.file.InvalidPathException e) {
      throw ApiException.notFound(
          "the source of DAG '"
              + dag.dagId()
              + "' is not available: its file "
              + dag.fileloc()
              + " cannot be read (was it moved or deleted?)");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (IOException e) {
      throw ApiException.notFound(
          "the source of DAG '" + dag.dagId() + "' cannot be read: " + e.getMessage());
    }
    if (bytes.length > MAX_BYTES) {
      throw ApiException.notFound(
          "the source of DAG '"
              + dag.dagId()
              + "' is larger than "
              + MAX_BYTES
              + " bytes: read it in the DAGs folder");
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw ApiException.notFound(
          "DAG '" + dag.dagId() + "' comes from " + file.getFileName() + ", which is not text");
    }
  }
}
