package io.updraft.dagproc;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.dag.Dag;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The YAML examples the README and docs point users to ({@code examples/dags}) load as the DAG
 * processor reads them, without an import error: an example that drifts from what the parser
 * accepts fails here, not in a user's first try.
 */
class ExamplesFolderTest {
  /** Maven runs a module's tests in the module's folder; the examples are beside it. */
  private static final Path EXAMPLES = Path.of("..", "examples", "dags");

  @Test
  void everyExampleDagLoadsWithoutImportErrors() {
    assertThat(EXAMPLES).isDirectory();
    FolderResult result = DagFolder.load(EXAMPLES);

    assertThat(result.errors()).extracting(DagFileError::format).isEmpty();
    assertThat(result.dags()).extracting(Dag::dagId).contains("orders_daily", "sensors_example");
  }
}
