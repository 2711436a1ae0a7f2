package io.updraft.cli;

import io.updraft.store.ScratchDatabase;
import io.updraft.store.TestBackend;
import org.junit.jupiter.api.AfterEach;

class PostgresStandaloneMetricsTest extends StandaloneMetricsContractTest {
  private ScratchDatabase scratch;

  @Override
  String dbUrl() {
    scratch = TestBackend.postgres().create();
    return scratch.config().url();
  }

  @Override
  String dagId() {
    return "metrics_pg";
  }

  @AfterEach
  void drop() throws Exception {
    if (scratch != null) {
      scratch.close();
    }
  }
}
