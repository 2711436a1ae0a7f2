package io.updraft.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Change signals between processes: NOTIFY/LISTEN on PostgreSQL, nothing (and no error) on H2. */
class ChangeSignalsTest {
  @TempDir Path dir;

  @Test
  void aChangeAnnouncedByOneConnectionWakesAListenerOfAnother() throws Exception {
    try (ScratchDatabase scratch = TestBackend.postgres().create();
        Database listening = Database.open(scratch.config());
        Database announcing = Database.open(scratch.config())) {
      CountDownLatch woken = new CountDownLatch(1);
      try (AutoCloseable listener = ChangeSignals.listen(listening, woken::countDown)) {
        // The listener subscribes on its own thread; announce until it has heard one.
        for (int i = 0; i < 100 && woken.getCount() > 0; i++) {
          ChangeSignals.announce(announcing);
          woken.await(100, TimeUnit.MILLISECONDS);
        }
        assertThat(woken.getCount()).as("woken by the other connection's NOTIFY").isZero();
      }
    }
  }

  @Test
  void aBurstOfTaskEndsReachesTriggerersOnTheirOwnChannelAndNotTheSchedulers() throws Exception {
    try (ScratchDatabase scratch = TestBackend.postgres().create();
        Database listening = Database.open(scratch.config());
        Database announcing = Database.open(scratch.config())) {
      CountDownLatch triggerer = new CountDownLatch(1);
      java.util.concurrent.atomic.AtomicInteger schedulers =
          new java.util.concurrent.atomic.AtomicInteger();
      Runnable taskEnds = ChangeSignals.taskEnds(announcing);
      try (AutoCloseable t = ChangeSignals.listenTaskEnds(listening, triggerer::countDown);
          AutoCloseable s = ChangeSignals.listen(listening, schedulers::incrementAndGet)) {
        for (int i = 0; i < 100 && triggerer.getCount() > 0; i++) {
          for (int burst = 0; burst < 1000; burst++) {
            taskEnds.run(); // returns at once; the NOTIFYs are coalesced
          }
          triggerer.await(100, TimeUnit.MILLISECONDS);
        }
        assertThat(triggerer.getCount()).as("the triggerer's channel was notified").isZero();
        assertThat(schedulers.get()).as("no scheduler woken by task ends").isZero();
      }
    }
  }

  @Test
  void aChangeAnnouncedWithinATransactionGoesOutWithItsCommitAndNeverWithARollback()
      throws Exception {
    try (ScratchDatabase scratch = TestBackend.postgres().create();
        Database listening = Database.open(scratch.config());
        Database announcing = Database.open(scratch.config())) {
      AtomicInteger woken = new AtomicInteger();
      try (AutoCloseable listener = ChangeSignals.listen(listening, woken::incrementAndGet)) {
        for (int i = 0; i < 100 && woken.get() == 0; i++) {
          ChangeSignals.announce(announcing);
          Thread.sleep(100);
        }
        assertThat(woken.get()).as("the listener has subscribed").isPositive();
        Thread.sleep(300);
        woken.set(0);
        announcing.runInTransaction(
            () -> {
              ChangeSignals.announceWithin(announcing);
              ChangeSignals.announceWithin(announcing); // two units of one group
              sleep(500);
              assertThat(woken.get()).as("nothing before the commit").isZero();
            });
        for (int i = 0; i < 50 && woken.get() == 0; i++) {
          Thread.sleep(100);
        }
        Thread.sleep(300);
        assertThat(woken.get()).as("one wake for the transaction's commit").isEqualTo(1);
        woken.set(0);
        assertThatThrownBy(
                () ->
                    announcing.runInTransaction(
                        () -> {
                          ChangeSignals.announceWithin(announcing);
                          throw new IllegalStateException("rolled back");
                        }))
            .hasMessage("rolled back");
        Thread.sleep(800);
        assertThat(woken.get()).as("a rolled back change is not announced").isZero();
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void onPostgresAnAnnouncementOfThisJvmWakesItsListenerOnceNotTwice() throws Exception {
    try (ScratchDatabase scratch = TestBackend.postgres().create();
        Database db = Database.open(scratch.config())) {
      AtomicInteger woken = new AtomicInteger();
      try (AutoCloseable listener = ChangeSignals.listen(db, woken::incrementAndGet)) {
        // The listener subscribes on its own thread; announce until it has heard one.
        for (int i = 0; i < 100 && woken.get() == 0; i++) {
          ChangeSignals.announce(db);
          Thread.sleep(100);
        }
        assertThat(woken.get()).as("woken by this JVM's NOTIFY").isPositive();
        woken.set(0);
        ChangeSignals.announce(db);
        Thread.sleep(500);
        // Told both on the announcing thread and by the NOTIFY, the UI's live feed queried twice.
        assertThat(woken.get()).as("one announcement, one wake").isEqualTo(1);
      }
    }
  }

  @Test
  void onH2OnlyListenersOfTheAnnouncingJvmAreToldAndNoErrors() throws Exception {
    try (Database db = Database.open("jdbc:h2:file:" + dir.resolve("db"))) {
      AtomicInteger woken = new AtomicInteger();
      try (AutoCloseable listener = ChangeSignals.listen(db, woken::incrementAndGet)) {
        ChangeSignals.announce(db); // standalone: its API triggers, its scheduler wakes
        ChangeSignals.changes(db).run();
        assertThat(woken.get()).isEqualTo(2);
      }
      ChangeSignals.announce(db);
      assertThat(woken.get()).as("a closed listener is not told").isEqualTo(2);
    }
  }
}
