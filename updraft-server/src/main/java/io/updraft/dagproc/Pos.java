package io.updraft.dagproc;

import java.util.Optional;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;

/** A 1-based line and column in a file. */
record Pos(int line, int column) implements Comparable<Pos> {
  static final Pos START = new Pos(1, 1);

  static Pos of(Node node) {
    return node == null ? START : of(node.getStartMark());
  }

  static Pos of(Optional<Mark> mark) {
    return mark.map(m -> new Pos(m.getLine() + 1, m.getColumn() + 1)).orElse(START);
  }

  @Override
  public int compareTo(Pos o) {
    return line != o.line ? Integer.compare(line, o.line) : Integer.compare(column, o.column);
  }
}
