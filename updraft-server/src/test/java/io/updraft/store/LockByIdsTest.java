package io.updraft.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LockByIdsTest {
  @Test
  void padsTheIdListToAPowerOfTwo() {
    assertThat(LockByIds.padded(1)).isEqualTo(1);
    assertThat(LockByIds.padded(2)).isEqualTo(2);
    assertThat(LockByIds.padded(3)).isEqualTo(4);
    assertThat(LockByIds.padded(4)).isEqualTo(4);
    assertThat(LockByIds.padded(5)).isEqualTo(8);
    assertThat(LockByIds.padded(64)).isEqualTo(64);
    assertThat(LockByIds.padded(65)).isEqualTo(128);
  }

  @Test
  void buildsOneTextPerSize() {
    LockByIds lock = new LockByIds("SELECT id FROM t WHERE id IN (%s) FOR UPDATE SKIP LOCKED");
    assertThat(lock.sql(3))
        .isEqualTo("SELECT id FROM t WHERE id IN (?, ?, ?, ?) FOR UPDATE SKIP LOCKED");
    assertThat(lock.sql(4)).isSameAs(lock.sql(3));
  }
}
