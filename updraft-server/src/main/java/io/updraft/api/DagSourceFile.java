package io.updraft.api;

import io.updraft.store.DagRow;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The text of the file a DAG was read from, for the API's {@code dagSources} and the UI's source
 * page — the one rule both read by. The database keeps the file's path ({@code dag.fileloc}), not
 * its text, so the server reads the file: only under the DAGs folder it was given (a path that
 * leads elsewhere, through {@code ..} or a link, is refused), only text, at most {@value
 * #MAX_BYTES} bytes. Whatever goes wrong is a 404 saying why.
 */
public final class DagSourceFile {
  public static final int MAX_BYTES = 1 << 20;

  private DagSourceFile() {}

  /**
   * @param dagsFolder null when the server was started without one
   */
  public static String read(Path dagsFolder, DagRow dag) {
    if (dagsFolder == null || dag.fileloc() == null) {
      throw ApiException.notFound(
          "the source of DAG '"
              + dag.dagId()
              + "' is not available: this server was started without a DAGs folder");
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
    } catch (IOException | InvalidPathException e) {
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
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw ApiException.notFound(
          "DAG '" + dag.dagId() + "' comes from " + file.getFileName() + ", which is not text");
    }
  }
}
