package io.updraft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.dag.Dag;
import io.updraft.sdk.Dags;
import io.updraft.sdk.Tasks;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** ELK's layout of a DAG: upstream left of downstream, every edge routed, boxes apart. */
class GraphLayoutTest {

  static Dag diamond() {
    return Dags.dag("diamond")
        .task(Tasks.shell("a", "true"))
        .task(Tasks.shell("b", "true").upstream("a"))
        .task(Tasks.shell("c", "true").upstream("a"))
        .task(Tasks.shell("d", "true").upstream("b", "c"))
        .build();
  }

  @Test
  void aDiamondGoesLeftToRight() {
    GraphLayout.Layout l = GraphLayout.compute(diamond());
    Map<String, GraphLayout.Box> box =
        l.boxes().stream().collect(Collectors.toMap(GraphLayout.Box::taskId, Function.identity()));
    assertThat(box).containsOnlyKeys("a", "b", "c", "d");
    assertThat(right(box.get("a"))).isLessThanOrEqualTo(box.get("b").x());
    assertThat(right(box.get("a"))).isLessThanOrEqualTo(box.get("c").x());
    assertThat(right(box.get("b"))).isLessThanOrEqualTo(box.get("d").x());
    assertThat(right(box.get("c"))).isLessThanOrEqualTo(box.get("d").x());
    // b and c share a layer, one above the other, not overlapping
    assertThat(box.get("b").x()).isEqualTo(box.get("c").x());
    assertThat(Math.abs(box.get("b").y() - box.get("c").y()))
        .isGreaterThanOrEqualTo(GraphLayout.BOX_HEIGHT);
    assertThat(l.lines()).hasSize(4);
    assertThat(l.lines()).allSatisfy(e -> assertThat(e.path()).matches("M[0-9. ]+( L[0-9. ]+)+"));
    assertThat(l.width()).isGreaterThanOrEqualTo(right(box.get("d")));
  }

  @Test
  void aLayoutIsKeptPerVersion() {
    GraphLayout layouts = new GraphLayout();
    GraphLayout.Layout first = layouts.of(diamond(), "h1");
    assertThat(layouts.of(diamond(), "h1")).isSameAs(first);
    assertThat(layouts.of(diamond(), "h2")).isNotSameAs(first);
  }

  private static double right(GraphLayout.Box b) {
    return b.x() + b.width();
  }
}
