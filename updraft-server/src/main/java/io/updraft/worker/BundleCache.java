package io.updraft.worker;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@link Bundles} kept on disk: a bundle is fetched once (from the metadata database) and written
 * as {@code <folder>/<hash>.jar}; later tries of its operators use the file. Bundles never change,
 * so the cache needs no invalidation.
 */
public final class BundleCache implements Bundles {
  private final Path folder;
  private final Function<String, Optional<byte[]>> fetch;

  /** {@code fetch} reads a bundle's bytes by hash; empty when there is none. */
  public BundleCache(Path folder, Function<String, Optional<byte[]>> fetch) {
    this.folder = folder;
    this.fetch = fetch;
  }

  @Override
  public Path jar(String hash) throws IOException {
    if (!hash.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("'" + hash + "' is not a bundle hash");
    }
    Path jar = SafePaths.under(folder, hash + ".jar");
    if (Files.isRegularFile(jar)) {
      return jar;
    }
    byte[] bytes =
        fetch
            .apply(hash)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no code bundle "
                            + hash
                            + " in the metadata database — the DAG processor stores it when it"
                            + " parses the Java file; is one running?"));
    Files.createDirectories(folder);
    Path part = Files.createTempFile(folder, hash, ".part");
    Files.write(part, bytes);
    try {
      Files.move(part, jar, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(part, jar, StandardCopyOption.REPLACE_EXISTING);
    }
    return jar;
  }
}
