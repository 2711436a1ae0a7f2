package io.updraft.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link PoolRepository} on every backend: the pattern the other repositories follow. */
abstract class PoolRepositoryContractTest {
  ScratchDatabase scratch;
  Database db;
  PoolRepository pools;

  abstract TestBackend backend();

  @BeforeEach
  void migratedDatabase() {
    scratch = backend().create();
    db = Database.open(scratch.config());
    db.migrate();
    pools = new PoolRepository(db);
  }

  @AfterEach
  void drop() throws Exception {
    if (db != null) {
      db.close();
    }
    if (scratch != null) {
      scratch.close();
    }
  }

  @Test
  void listsPoolsByName() {
    pools.set(new Pool("zeta", 3, null, false));
    pools.set(new Pool("alpha", 1, "first", true));

    assertThat(pools.list())
        .extracting(Pool::name)
        .containsExactly("alpha", "default_pool", "zeta");
  }

  @Test
  void setCreatesThenReplaces() {
    pools.set(new Pool("gpu", 2, "two GPUs", false));
    assertThat(pools.get("gpu")).contains(new Pool("gpu", 2, "two GPUs", false));

    pools.set(new Pool("gpu", Pool.UNLIMITED, null, true));
    assertThat(pools.get("gpu")).contains(new Pool("gpu", -1, null, true));
    assertThat(pools.list()).hasSize(2);
  }

  @Test
  void defaultPoolSlotsCanChange() {
    pools.set(new Pool(Pool.DEFAULT_POOL, 8, "Default pool", false));
    assertThat(pools.get(Pool.DEFAULT_POOL)).get().extracting(Pool::slots).isEqualTo(8);
  }

  @Test
  void getOfAMissingPoolIsEmpty() {
    assertThat(pools.get("nope")).isEmpty();
  }

  @Test
  void namesAreCaseSensitive() {
    pools.set(new Pool("Gpu", 1, null, false));
    pools.set(new Pool("gpu", 2, null, false));
    assertThat(pools.get("Gpu")).get().extracting(Pool::slots).isEqualTo(1);
    assertThat(pools.get("gpu")).get().extracting(Pool::slots).isEqualTo(2);
  }

  @Test
  void deleteRemovesOnce() {
    pools.set(new Pool("tmp", 1, null, false));
    assertThat(pools.delete("tmp")).isTrue();
    assertThat(pools.delete("tmp")).isFalse();
    assertThat(pools.get("tmp")).isEmpty();
  }

  @Test
  void refusesToDeleteTheDefaultPool() {
    assertThatThrownBy(() -> pools.delete(Pool.DEFAULT_POOL))
        .isInstanceOf(InvalidPoolException.class)
        .hasMessage(
            "cannot delete default_pool: tasks without a pool run in it — change its slots"
                + " instead (updraft pools set default_pool <slots>)");
    assertThat(pools.get(Pool.DEFAULT_POOL)).isPresent();
  }

  @Test
  void keepsLongNamesAndDescriptions() {
    String name = "p".repeat(Pool.MAX_NAME_LENGTH);
    String description = "é€𝄞".repeat(3000);
    pools.set(new Pool(name, 5, description, false));
    assertThat(pools.get(name)).contains(new Pool(name, 5, description, false));
  }

  @Test
  void aSecondCriticalSectionDoesNotWaitForTheFirst() throws Exception {
    java.util.concurrent.CountDownLatch locked = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean firstGotIt =
        new java.util.concurrent.atomic.AtomicBoolean();
    Thread other =
        new Thread(
            () ->
                db.runInTransaction(
                    () -> {
                      firstGotIt.set(pools.tryLockAll());
                      locked.countDown();
                      try {
                        release.await();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }));
    other.start();
    assertThat(locked.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    try {
      assertThat(firstGotIt).isTrue();
      boolean second = db.inTransaction(pools::tryLockAll);
      assertThat(second).as("the pools are held by the other transaction").isFalse();

    } finally {
      release.countDown();
      other.join();
    }
    assertThat(db.inTransaction(pools::tryLockAll)).as("free again").isTrue();
  }

  @Test
  void lockingThePoolsNeedsATransaction() {
    assertThatThrownBy(() -> pools.tryLockAll()).isInstanceOf(IllegalStateException.class);
  }
}
