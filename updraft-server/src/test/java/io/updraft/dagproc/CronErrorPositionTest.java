package io.updraft.dagproc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad cron expressions are import errors at the schedule line, naming the bad field. */
class CronErrorPositionTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "61 * * * *   | minute value 61 is out of range 0-59",
        "0 24 * * *   | hour value 24 is out of range 0-23",
        "0 0 0 * *    | 0",
        "0 0 * 13 *   | month value 13",
        "0 0 * * FUN  | FUN",
        "0 0 30 2 *   | never",
      })
  void badCronIsReportedAtTheScheduleKey(String cron, String expected) {
    String yaml =
        "dag_id: d\nstart_date: 2024-01-01\nschedule: \""
            + cron.strip()
            + "\"\ntasks: [{task_id: a, operator: empty}]\n";
    DagFileResult result = new YamlDagParser().parse(Path.of("d.yaml"), yaml);
    assertThat(result.dags()).isEmpty();
    assertThat(result.errors()).hasSize(1);
    DagFileError error = result.errors().get(0);
    assertThat(error.line()).isEqualTo(3);
    assertThat(error.column()).isEqualTo(1);
    assertThat(error.message()).contains(cron.strip()).contains(expected).contains(" — ");
  }
}
