package io.updraft.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

abstract class DagBundleRepositoryContractTest extends RepositoryContractTest {
  static final String HASH = "c".repeat(64);

  DagBundleRepository repo() {
    return new DagBundleRepository(db);
  }

  @Test
  void storesABundleOnceAndReadsItsBytesBack() {
    byte[] jar = new byte[3 * 1024 * 1024]; // a jar of a few MB, every byte value
    new Random(7).nextBytes(jar);
    assertThat(repo().content(HASH)).isEmpty();
    assertThat(repo().exists(HASH)).isFalse();

    assertThat(repo().store(HASH, "/dags/Orders.java", jar, T0)).isTrue();
    assertThat(repo().store(HASH, "/dags/Orders.java", jar, T0.plusSeconds(1))).isFalse();

    assertThat(repo().exists(HASH)).isTrue();
    assertThat(repo().content(HASH).orElseThrow()).isEqualTo(jar);
    assertThat(repo().content("d".repeat(64))).isEmpty();
  }
}
