package io.updraft.worker.operators;

import io.updraft.connections.Connection;
import io.updraft.store.TestBackend;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

class H2SqlOperatorTest extends SqlOperatorContractTest {
  @Override
  TestBackend backend() {
    return new TestBackend.H2(logs);
  }

  @Override
  Connection connection(String url) {
    return new Connection("db", "h2", url, null, null, null, null, Map.of());
  }

  @Override
  Map<String, Object> lowerKeys(Map<String, Object> row) {
    Map<String, Object> out = new LinkedHashMap<>();
    row.forEach((k, v) -> out.put(k.toUpperCase(Locale.ROOT), v));
    return out;
  }
}
