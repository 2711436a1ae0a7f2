package io.updraft.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.updraft.serde.SerializedDag;
import org.junit.jupiter.api.Test;

abstract class SerializedDagRepositoryContractTest extends RepositoryContractTest {
  static final SerializedDag V1 = new SerializedDag("{\"v\":1,\"é\":\"𝄞\"}", "a".repeat(64));
  static final SerializedDag V2 = new SerializedDag("{\"v\":2}", "b".repeat(64));

  SerializedDagRepository repo() {
    return new SerializedDagRepository(db);
  }

  @Test
  void storesAndReadsTheLatestVersion() {
    assertThat(repo().latest("d")).isEmpty();
    assertThat(repo().store("d", V1, "/d.yaml", T0)).isTrue();
    assertThat(repo().latest("d"))
        .contains(new StoredDag("d", V1.hash(), V1.json(), "/d.yaml", T0, 1));
    assertThat(repo().latestHash("d")).contains(V1.hash());
  }

  @Test
  void storingTheSameVersionAgainWritesNothing() {
    repo().store("d", V1, "/d.yaml", T0);
    assertThat(repo().store("d", V1, "/d.yaml", T0.plusSeconds(5))).isFalse();
    assertThat(repo().latest("d").orElseThrow().createdAt()).isEqualTo(T0);
  }

  @Test
  void keepsEveryVersionAndARevertedOneBecomesLatestAgain() {
    repo().store("d", V1, "/d.yaml", T0);
    repo().store("d", V2, "/d.yaml", T0.plusSeconds(1));
    assertThat(repo().latestHash("d")).contains(V2.hash());
    assertThat(repo().get("d", V1.hash()).orElseThrow().json()).isEqualTo(V1.json());

    assertThat(repo().store("d", V1, "/d.yaml", T0.plusSeconds(2))).isTrue();
    assertThat(repo().latestHash("d")).contains(V1.hash());
    assertThat(repo().get("d", V2.hash())).isPresent();
  }

  @Test
  void versionsAreNumberedInTheOrderTheyBecameCurrentEvenAtTheSameInstant() {
    repo().store("d", V1, "/d.yaml", T0);
    repo().store("d", V2, "/d.yaml", T0); // a fixed clock: created_at alone cannot order them
    assertThat(repo().latest("d").orElseThrow().versionNumber()).isEqualTo(2);
    assertThat(repo().latestHash("d")).contains(V2.hash());
    assertThat(repo().byNumber("d", 1).orElseThrow().hash()).isEqualTo(V1.hash());

    repo().store("d", V1, "/d.yaml", T0); // edited back: V1 is current again, as version 3
    assertThat(repo().latestHash("d")).contains(V1.hash());
    assertThat(repo().get("d", V1.hash()).orElseThrow().versionNumber()).isEqualTo(3);
    assertThat(repo().versions("d")).containsExactly(entry(2, V2.hash()), entry(3, V1.hash()));
    assertThat(repo().byNumber("d", 1)).isEmpty();
  }

  @Test
  void versionsBelongToTheirDag() {
    repo().store("d", V1, "/d.yaml", T0);
    assertThat(repo().get("e", V1.hash())).isEmpty();
    assertThat(repo().latest("D")).isEmpty();
  }

  @Test
  void keepsALargeDocument() {
    SerializedDag big =
        new SerializedDag("{\"x\":\"" + "y".repeat(2_000_000) + "\"}", "c".repeat(64));
    repo().store("d", big, null, T0);
    assertThat(repo().latest("d").orElseThrow().json()).isEqualTo(big.json());
  }
}
