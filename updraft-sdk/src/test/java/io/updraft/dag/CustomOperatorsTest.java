package io.updraft.dag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.sdk.Operator;
import io.updraft.sdk.Tasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CustomOperatorsTest {
  static final String HASH = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  @ParameterizedTest(name = "{0}: custom={1} pinned={2}")
  @CsvSource({
    "shell, false, false",
    "short_circuit, false, false",
    "com.acme.Load, true, false",
    "Orders$Load, true, false",
    "com.acme.Outer$Inner, true, false",
    "com.acme.Load@" + HASH + ", true, true",
    "Orders$Load@" + HASH + ", true, true",
    "com.acme.Load@abc, false, false",
    "com..Load, false, false",
    "com.1acme.Load, false, false",
    "'com.acme.Load ', false, false",
    "Load, false, false",
  })
  void namesOfCustomOperators(String operator, boolean custom, boolean pinned) {
    assertThat(CustomOperators.isCustom(operator)).isEqualTo(custom);
    assertThat(CustomOperators.isPinned(operator)).isEqualTo(pinned);
  }

  @Test
  void pinningNamesTheBundleAndKeepsTheClass() {
    String pinned = CustomOperators.pinned("com.acme.Load", HASH);
    assertThat(pinned).isEqualTo("com.acme.Load@" + HASH);
    assertThat(CustomOperators.className(pinned)).isEqualTo("com.acme.Load");
    assertThat(CustomOperators.bundleHash(pinned)).isEqualTo(HASH);
    assertThat(CustomOperators.pinned(pinned, "f".repeat(64))).endsWith("@" + "f".repeat(64));
    assertThat(CustomOperators.bundleHash("com.acme.Load")).isNull();
  }

  public static class Nested implements Operator {
    @Override
    public Object execute(io.updraft.sdk.TaskContext context) {
      return null;
    }
  }

  @Test
  void aCustomTaskIsNamedByItsClassAndValidates() {
    Dag dag =
        io.updraft.sdk.Dags.dag("d")
            .task(Tasks.custom("load", Nested.class).arg("anything", 1))
            .build();
    assertThat(dag.task("load").orElseThrow().operator())
        .isEqualTo("io.updraft.dag.CustomOperatorsTest$Nested");
    assertThat(DagValidator.validate(dag)).isEmpty();
  }

  @Test
  void anUnknownNameIsStillAnUnknownOperator() {
    assertThatThrownBy(() -> io.updraft.sdk.Dags.dag("d").task(Tasks.task("load", "lod")).build())
        .hasMessageContaining("unknown operator 'lod'")
        .hasMessageContaining("or a custom operator's class name");
  }
}
