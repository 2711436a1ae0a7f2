package io.updraft.dag;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** File patterns: what matches, where to start looking, and bad patterns. */
class GlobTest {

  @Test
  void matching() {
    assertThat(Glob.compile("in/*.csv").matches("in/a.csv")).isTrue();
    assertThat(Glob.compile("in/*.csv").matches("in/x/a.csv")).isFalse();
    assertThat(Glob.compile("in/**/a.csv").matches("in/a.csv")).isTrue();
    assertThat(Glob.compile("in/**/a.csv").matches("in/x/y/a.csv")).isTrue();
    assertThat(Glob.compile("in/**").matches("in/x/y")).isTrue();
    assertThat(Glob.compile("in/?.csv").matches("in/ab.csv")).isFalse();
    assertThat(Glob.compile("in/[a-c].csv").matches("in/b.csv")).isTrue();
    assertThat(Glob.compile("in/[!a-c].csv").matches("in/b.csv")).isFalse();
    assertThat(Glob.compile("in/{x,y}.csv").matches("in/y.csv")).isTrue();
    assertThat(Glob.compile("in/a+b (1).csv").matches("in/a+b (1).csv")).isTrue();
    assertThat(Glob.compile("in/a.csv").matches("in/abcsv")).isFalse();
  }

  @Test
  void baseAndDepth() {
    Glob g = Glob.compile("/data/in/*/x.csv");
    assertThat(g.base()).isEqualTo("/data/in");
    assertThat(g.depth()).isEqualTo(2);
    assertThat(Glob.compile("*.csv").base()).isEmpty();
    assertThat(Glob.compile("/*.csv").base()).isEqualTo("/");
    assertThat(Glob.compile("a/**/x").depth()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void badPatterns() {
    assertThat(Glob.problem("in/[ab.csv"))
        .contains("opens a [ at character 4 that is never closed");
    assertThat(Glob.problem("in/{a,b.csv")).contains("opens a { at character 4");
    assertThat(Glob.problem("{a,{b}}")).contains("nests a {");
    assertThat(Glob.problem("in/*.csv")).isNull();
    assertThat(Glob.isPattern("/data/x.csv")).isFalse();
  }
}
