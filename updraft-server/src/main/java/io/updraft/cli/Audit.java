package io.updraft.cli;

import io.updraft.store.Database;
import io.updraft.store.LogRepository;
import java.time.Instant;
import java.util.Map;

/** Records a command's change in the audit {@code log}: never a value, only ids and counts. */
final class Audit {
  private Audit() {}

  static void record(Database db, String event, Map<String, ?> extra) {
    new LogRepository(db)
        .record(
            event,
            null,
            null,
            null,
            System.getProperty("user.name"),
            JsonOutput.write(extra).replaceAll("\\s*\\n\\s*", " "),
            Instant.now());
  }
}
