package io.updraft.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.store.ImportErrorRepository.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

abstract class ImportErrorRepositoryContractTest extends RepositoryContractTest {
  ImportErrorRepository errors() {
    return new ImportErrorRepository(db);
  }

  @Test
  void replacesTheErrorsOfAFile() {
    errors().replaceForFile("/b.yaml", List.of(new Problem(3, 7, "bad key 'shedule'", null)), T0);
    errors()
        .replaceForFile(
            "/a.yaml",
            List.of(new Problem(9, 1, "second", "trace"), new Problem(2, null, "first", null)),
            T0);

    assertThat(errors().list())
        .extracting(
            e -> e.filename() + ":" + e.lineNumber() + ":" + e.columnNumber() + " " + e.message())
        .containsExactly(
            "/a.yaml:2:null first", "/a.yaml:9:1 second", "/b.yaml:3:7 bad key 'shedule'");
    ImportErrorRow row = errors().list().get(1);
    assertThat(row.stacktrace()).isEqualTo("trace");
    assertThat(row.timestamp()).isEqualTo(T0);

    errors().replaceForFile("/a.yaml", List.of(new Problem(null, null, "whole file", null)), T0);
    assertThat(errors().list())
        .extracting(ImportErrorRow::message)
        .containsExactly("whole file", "bad key 'shedule'");

    errors().replaceForFile("/a.yaml", List.of(), T0);
    assertThat(errors().list()).extracting(ImportErrorRow::filename).containsExactly("/b.yaml");
  }

  @Test
  void clearsAFile() {
    errors()
        .replaceForFile(
            "/a.yaml", List.of(new Problem(1, 1, "x", null), new Problem(2, 1, "y", null)), T0);
    assertThat(errors().clearForFile("/a.yaml")).isEqualTo(2);
    assertThat(errors().clearForFile("/a.yaml")).isZero();
    assertThat(errors().list()).isEmpty();
  }
}
