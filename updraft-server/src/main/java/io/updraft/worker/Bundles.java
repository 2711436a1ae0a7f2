package io.updraft.worker;

import java.io.IOException;
import java.nio.file.Path;

/** Where the worker finds the jar of a code bundle (SPEC §1.6) by its hash. */
@FunctionalInterface
public interface Bundles {
  /**
   * The bundle's jar on local disk.
   *
   * @throws IOException when it cannot be fetched or written
   * @throws IllegalArgumentException when no bundle has this hash
   */
  Path jar(String hash) throws IOException;

  /** No bundles: a custom operator's try fails, saying so. */
  static Bundles none() {
    return hash -> {
      throw new IllegalArgumentException("this worker has no access to code bundles");
    };
  }
}
