package io.updraft.dagproc;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The code of a Java DAG file or jar whose DAGs use custom operators: a jar, and the SHA-256 its
 * operators are pinned to.
 */
public record DagBundle(String hash, byte[] jar) {
  public DagBundle {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(jar, "jar");
  }

  static DagBundle of(byte[] jar) {
    try {
      return new DagBundle(
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(jar)), jar);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
