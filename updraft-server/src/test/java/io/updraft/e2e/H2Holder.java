package io.updraft.e2e;

import io.updraft.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;

/**
 * Another process that has an H2 file open, until a release file appears. {@code updraft URL
 * RELEASE}: an Updraft process (AUTO_SERVER, migrated: it serves the file to the others, as a CLI
 * command that opened a new home first does). {@code plain URL RELEASE}: plain H2 with the same
 * lock file but no server — what an opener looks like to the others while it is still opening the
 * file, before its server runs.
 */
final class H2Holder {
  private H2Holder() {}

  public static void main(String[] args) throws Exception {
    Path release = Path.of(args[2]);
    if (args[0].equals("updraft")) {
      try (Database db = Database.open(args[1])) {
        db.migrate();
        hold(release);
      }
    } else {
      try (Connection c = DriverManager.getConnection(args[1], "sa", "")) {
        hold(release);
      }
    }
    System.out.println("released");
  }

  private static void hold(Path release) throws InterruptedException {
    System.out.println("holding");
    System.out.flush();
    long deadline = System.nanoTime() + 120_000_000_000L; // never outlive a broken test for long
    while (!Files.exists(release) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }
}
