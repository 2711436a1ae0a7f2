package io.updraft.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.jar.JarInputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** Equal classes make equal bundles: the hash a DAG version pins must not change by itself. */
class BundleJarTest {
  @Test
  void theSameClassesGiveTheSameBytesInAnyOrderAndTimeZone() throws Exception {
    Map<String, byte[]> one = new LinkedHashMap<>();
    one.put("b.B", new byte[] {1, 2});
    one.put("a.A$Inner", new byte[] {3});
    Map<String, byte[]> other = new LinkedHashMap<>();
    other.put("a.A$Inner", new byte[] {3});
    other.put("b.B", new byte[] {1, 2});
    byte[] first = BundleJar.of(one);
    TimeZone saved = TimeZone.getDefault();
    byte[] second;
    try {
      TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati"));
      Thread.sleep(1_100); // a later second, too
      second = BundleJar.of(other);
    } finally {
      TimeZone.setDefault(saved);
    }
    assertThat(second).isEqualTo(first);

    List<String> names = new ArrayList<>();
    try (JarInputStream jar = new JarInputStream(new ByteArrayInputStream(first))) {
      for (ZipEntry e; (e = jar.getNextEntry()) != null; ) {
        names.add(e.getName());
      }
    }
    assertThat(names).containsExactly("a/A$Inner.class", "b/B.class");
  }
}
