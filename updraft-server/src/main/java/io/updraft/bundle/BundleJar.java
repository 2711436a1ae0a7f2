package io.updraft.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;

/**
 * Writes compiled classes as a jar, the same bytes for the same classes: entries in name order, one
 * fixed time, no manifest. So recompiling an unchanged file gives a bundle with the same hash.
 */
final class BundleJar {
  /**
   * A wall-clock time well inside the zip format's DOS range, so only that field is written (no
   * extended UTC timestamp): the same bytes in every time zone.
   */
  private static final LocalDateTime FIXED_TIME = LocalDateTime.of(2000, 1, 1, 0, 0);

  private BundleJar() {}

  static byte[] of(Map<String, byte[]> classes) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> c : new TreeMap<>(classes).entrySet()) {
        ZipEntry entry = new ZipEntry(c.getKey().replace('.', '/') + ".class");
        entry.setTimeLocal(FIXED_TIME);
        jar.putNextEntry(entry);
        jar.write(c.getValue());
        jar.closeEntry();
      }
    }
    return bytes.toByteArray();
  }
}
