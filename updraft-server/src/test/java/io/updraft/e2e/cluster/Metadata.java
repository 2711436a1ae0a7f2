package io.updraft.e2e.cluster;

import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.DatabaseConfig;
import io.updraft.store.Jdbc;
import io.updraft.store.JobRepository;
import io.updraft.store.JobRow;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TaskInstanceTries;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The metadata database as the tests see it. Each look opens and closes its own connection, so none
 * outlives a killed process — on H2 the first process to open the file serves it to the others, and
 * a test must not become (or stay attached to) that server by accident.
 */
record Metadata(DatabaseConfig config) {
  <T> T read(Function<Database, T> query) {
    try (Database db = Database.open(config.withMaxPoolSize(1))) {
      return query.apply(db);
    }
  }

  /**
   * On the embedded H2 database, writes every committed change to the file now. H2 keeps the last
   * ~second of commits in memory (its write delay), so a kill -9 also rolls the database back by up
   * to that much; a test that kills a process right after it observed a state uses this so the kill
   * finds that state on disk. A no-op elsewhere.
   */
  void persistIfEmbedded() {
    if (config.url().startsWith("jdbc:h2:")) {
      read(db -> db.jdbc().update("writing H2's pending commits", "CHECKPOINT", Jdbc.Binder.NONE));
    }
  }

  List<DagRunRow> runs(String dagId) {
    return read(db -> new DagRunRepository(db).list(dagId, 1_000));
  }

  /** Every task instance of every run of a DAG. */
  List<TaskInstanceRow> taskInstances(String dagId) {
    return read(
        db -> {
          TaskInstanceRepository tis = new TaskInstanceRepository(db);
          List<TaskInstanceRow> all = new ArrayList<>();
          for (DagRunRow run : new DagRunRepository(db).list(dagId, 1_000)) {
            all.addAll(tis.listForRun(dagId, run.runId()));
          }
          return all;
        });
  }

  TaskInstanceRow taskInstance(String dagId, String runId, String taskId) {
    return read(
        db ->
            new TaskInstanceRepository(db)
                .listForRun(dagId, runId).stream()
                    .filter(ti -> ti.taskId().equals(taskId))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no " + taskId + " in " + runId)));
  }

  List<TaskInstanceTries.Try> history(long taskInstanceId) {
    return read(db -> new TaskInstanceTries(db).history(taskInstanceId));
  }

  JobRow job(long id) {
    return read(
        db -> new JobRepository(db).get(id).orElseThrow(() -> new AssertionError("no job " + id)));
  }
}
