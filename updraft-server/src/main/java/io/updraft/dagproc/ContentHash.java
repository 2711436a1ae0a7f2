package io.updraft.dagproc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** SHA-256 over a DAG file's bytes and those of the files it reads, in order. */
final class ContentHash {
  private ContentHash() {}

  /** The hash, or null when a file cannot be read (the parse will report why). */
  static String of(Path file, List<Path> inputs) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      update(sha, file);
      for (Path input : inputs) {
        update(sha, input);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (IOException e) {
      return null;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static void update(MessageDigest sha, Path path) throws IOException {
    byte[] bytes = Files.readAllBytes(path);
    sha.update(path.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    sha.update((byte) 0);
    sha.update(Long.toString(bytes.length).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    sha.update((byte) 0);
    sha.update(bytes);
  }
}
