package io.updraft.worker.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class MethodCallRewriterTest {

  static final Set<String> RECEIVERS = Set.of("ti", "macros");

  static String rewrite(String t) {
    return MethodCallRewriter.rewrite(t, RECEIVERS);
  }

  @Test
  void rewritesCallsOnContextObjectsInsideTags() {
    assertThat(rewrite("{{ ti.xcom_pull(task_ids='a') }}"))
        .isEqualTo("{{ updraft_call(ti, 'xcom_pull', task_ids='a') }}");
    assertThat(rewrite("{{ ti.xcom_pull() }}")).isEqualTo("{{ updraft_call(ti, 'xcom_pull') }}");
    assertThat(rewrite("{% set x = macros . ds_add ( ds, 1) %}"))
        .isEqualTo("{% set x = updraft_call(macros, 'ds_add', ds, 1) %}");
  }

  @Test
  void leavesTextStringsCommentsAndOtherReceiversAlone() {
    String text = "echo ti.xcom_pull(x) {# ti.xcom_pull(y) #} {{ 'ti.xcom_pull(z)' }}";
    assertThat(rewrite(text)).isEqualTo(text);
    assertThat(rewrite("{{ ds.replace('-', '') }}")).isEqualTo("{{ ds.replace('-', '') }}");
    assertThat(rewrite("{{ a.ti.xcom_pull(1) }}")).isEqualTo("{{ a.ti.xcom_pull(1) }}");
    assertThat(rewrite("{{ xti.xcom_pull(1) }}")).isEqualTo("{{ xti.xcom_pull(1) }}");
  }

  @Test
  void keepsLineBreaksSoErrorLinesStayRight() {
    String t = "a\n{{ ti.xcom_pull(\n task_ids='a') }}\nb";
    assertThat(rewrite(t).lines().count()).isEqualTo(t.lines().count());
  }
}
