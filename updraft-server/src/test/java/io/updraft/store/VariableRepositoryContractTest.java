package io.updraft.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link VariableRepository} on every backend ({@code key} is a reserved word in two of them). */
abstract class VariableRepositoryContractTest {
  ScratchDatabase scratch;
  Database db;
  VariableRepository variables;

  abstract TestBackend backend();

  @BeforeEach
  void migratedDatabase() {
    scratch = backend().create();
    db = Database.open(scratch.config());
    db.migrate();
    variables = new VariableRepository(db);
  }

  @AfterEach
  void drop() throws Exception {
    if (db != null) {
      db.close();
    }
    if (scratch != null) {
      scratch.close();
    }
  }

  @Test
  void setCreatesThenReplaces() {
    variables.set(new VariableRow("env", "staging", "where we run", false));
    assertThat(variables.get("env"))
        .contains(new VariableRow("env", "staging", "where we run", false));
    variables.set(new VariableRow("env", "token", null, true));
    assertThat(variables.get("env")).contains(new VariableRow("env", "token", null, true));
    assertThat(variables.list()).hasSize(1);
  }

  @Test
  void listsByKeyCaseSensitively() {
    variables.set(new VariableRow("b", "2", null, false));
    variables.set(new VariableRow("a", "1", null, false));
    variables.set(new VariableRow("A", "0", null, false));
    assertThat(variables.list()).extracting(VariableRow::key).containsExactly("A", "a", "b");
    assertThat(variables.get("A").orElseThrow().val()).isEqualTo("0");
  }

  @Test
  void keepsLongValuesAndNulls() {
    String json = "{\"rows\": [" + "1,".repeat(20_000) + "1], \"name\": \"é€𝄞\"}";
    variables.set(new VariableRow("big", json, null, false));
    variables.set(new VariableRow("nothing", null, null, false));
    assertThat(variables.get("big").orElseThrow().val()).isEqualTo(json);
    assertThat(variables.get("nothing").orElseThrow().val()).isNull();
  }

  @Test
  void deleteRemovesOnce() {
    variables.set(new VariableRow("tmp", "x", null, false));
    assertThat(variables.delete("tmp")).isTrue();
    assertThat(variables.delete("tmp")).isFalse();
    assertThat(variables.get("tmp")).isEmpty();
  }
}
