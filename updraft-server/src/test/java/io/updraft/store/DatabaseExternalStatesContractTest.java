package io.updraft.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.sensors.Condition;
import io.updraft.sensors.ExternalStates.Answer;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code external_task} states answered in bulk, on every database. */
abstract class DatabaseExternalStatesContractTest extends RepositoryContractTest {
  private static final List<String> OK = List.of("success");
  private static final List<String> BAD = List.of("failed");

  private DatabaseExternalStates states() {
    return new DatabaseExternalStates(db);
  }

  private void storedDag(String dagId) {
    new DagRepository(db).upsert(DagRepositoryContractTest.dag(dagId, "d"), "/d.yaml", false, T0);
  }

  private void tasks(String dagId, String runId, NewTaskInstance... tis) {
    new TaskInstanceRepository(db).createForRun(dagId, runId, List.of(tis), T0);
  }

  private void state(String dagId, String runId, String taskId, TaskInstanceState... path) {
    TaskInstanceRepository repo = new TaskInstanceRepository(db);
    List<Long> ids =
        repo.listForRun(dagId, runId).stream()
            .filter(t -> t.taskId().equals(taskId))
            .map(TaskInstanceRow::id)
            .toList();
    TaskInstanceState from = TaskInstanceState.NONE;
    for (TaskInstanceState to : path) {
      TaskInstanceState f = from;
      repo.setStates(ids.stream().map(id -> new StateChange(id, f, to)).toList(), T0);
      from = to;
    }
  }

  private static NewTaskInstance ti(String taskId, int mapIndex) {
    return new NewTaskInstance(taskId, mapIndex, 1, "default_pool", 1, "default", "shell", 0);
  }

  private static Condition.ExternalTask byRun(String dagId, String taskId, String runId) {
    return new Condition.ExternalTask(dagId, taskId, null, runId, OK, BAD);
  }

  private static Condition.ExternalTask byDate(String dagId, String taskId, Instant date) {
    return new Condition.ExternalTask(dagId, taskId, date, null, OK, BAD);
  }

  @Test
  void tellsAnUnknownDagFromAMissingRunFromAStateAndATaskNotCreatedYet() {
    storedDag("up");
    run("up", "r1", DagRunState.RUNNING, 0);
    tasks("up", "r1", ti("load", -1));
    state("up", "r1", "load", TaskInstanceState.SCHEDULED, TaskInstanceState.QUEUED);

    Condition.ExternalTask typo = byRun("upp", "load", "r1");
    Condition.ExternalTask noRun = byRun("up", "load", "r9");
    Condition.ExternalTask task = byRun("up", "load", "r1");
    Condition.ExternalTask noTask = byRun("up", "other", "r1");
    Condition.ExternalTask wholeRun = byRun("up", null, "r1");
    Condition.ExternalTask onDate = byDate("up", "load", T0);
    Condition.ExternalTask otherDate = byDate("up", "load", T0.plusSeconds(1));

    Map<Condition.ExternalTask, Answer> got =
        states().states(List.of(typo, noRun, task, noTask, wholeRun, onDate, otherDate));

    assertThat(got.get(typo)).isEqualTo(Answer.UNKNOWN_DAG);
    assertThat(got.get(noRun)).isEqualTo(Answer.NO_RUN);
    assertThat(got.get(task)).isEqualTo(Answer.of("queued"));
    assertThat(got.get(noTask)).isEqualTo(Answer.of(null));
    assertThat(got.get(wholeRun)).isEqualTo(Answer.of("running"));
    assertThat(got.get(onDate)).isEqualTo(Answer.of("queued"));
    assertThat(got.get(otherDate)).isEqualTo(Answer.NO_RUN);
  }

  @Test
  void aMappedTaskAnswersWhatItsInstancesShareOrTheirFailure() {
    storedDag("up");
    run("up", "r1", DagRunState.RUNNING, 0);
    tasks("up", "r1", ti("m", 0), ti("m", 1), ti("n", 0), ti("n", 1));
    state("up", "r1", "m", TaskInstanceState.SCHEDULED, TaskInstanceState.QUEUED);
    state("up", "r1", "n", TaskInstanceState.SCHEDULED);

    Map<Condition.ExternalTask, Answer> got =
        states().states(List.of(byRun("up", "m", "r1"), byRun("up", "n", "r1")));

    assertThat(got.get(byRun("up", "m", "r1"))).isEqualTo(Answer.of("queued"));
    assertThat(got.get(byRun("up", "n", "r1"))).isEqualTo(Answer.of("scheduled"));
    assertThat(DatabaseExternalStates.merge(List.of("success", "failed", "running")))
        .isEqualTo("failed");
    assertThat(DatabaseExternalStates.merge(List.of("success", "running"))).isEqualTo("running");
  }

  @Test
  void manyTargetsAcrossChunksAreAllAnswered() {
    storedDag("up");
    List<Condition.ExternalTask> many = new ArrayList<>();
    for (int i = 0; i < DatabaseExternalStates.TARGETS + 20; i++) {
      many.add(byRun("up", "t" + i, "r" + i));
    }
    run("up", "r3", DagRunState.RUNNING, 3);

    Map<Condition.ExternalTask, Answer> got = states().states(many);

    assertThat(got).hasSize(many.size());
    assertThat(got.get(byRun("up", null, "r3"))).isNull(); // not asked
    assertThat(got.get(many.get(3))).isEqualTo(Answer.of(null));
    assertThat(got.get(many.get(DatabaseExternalStates.TARGETS + 5))).isEqualTo(Answer.NO_RUN);
  }
}
