package io.updraft.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code WHERE} clause built from optional conditions, each with its bound values: the SQL text
 * holds only column names chosen here and {@code ?}, never a value a client sent.
 */
final class FilterSql {
  private interface Value {
    void bind(PreparedStatement ps, int index) throws SQLException;
  }

  private final Dialect dialect;
  private final List<String> conditions = new ArrayList<>();
  private final List<Value> values = new ArrayList<>();

  FilterSql(Dialect dialect) {
    this.dialect = dialect;
  }

  FilterSql equal(String column, String value) {
    if (value != null) {
      conditions.add(column + " = ?");
      values.add((ps, i) -> ps.setString(i, value));
    }
    return this;
  }

  /** {@code column IN (...)}; a null in {@code ids} also matches NULL. Empty: no condition. */
  FilterSql in(String column, List<String> ids) {
    if (ids.isEmpty()) {
      return this;
    }
    List<String> present = ids.stream().filter(id -> id != null).toList();
    List<String> either = new ArrayList<>();
    if (!present.isEmpty()) {
      either.add(
          column + " IN (" + String.join(", ", present.stream().map(x -> "?").toList()) + ")");
      for (String id : present) {
        values.add((ps, i) -> ps.setString(i, id));
      }
    }
    if (present.size() < ids.size()) {
      either.add(column + " IS NULL");
    }
    conditions.add("(" + String.join(" OR ", either) + ")");
    return this;
  }

  FilterSql between(String column, Instant from, Instant to) {
    if (from != null) {
      conditions.add(column + " >= ?");
      values.add((ps, i) -> dialect.setInstant(ps, i, from));
    }
    if (to != null) {
      conditions.add(column + " <= ?");
      values.add((ps, i) -> dialect.setInstant(ps, i, to));
    }
    return this;
  }

  /** {@code WHERE ...} with a leading space, or nothing. */
  String where() {
    return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
  }

  /** Binds the values from parameter 1; returns the next free index. */
  int bind(PreparedStatement ps) throws SQLException {
    int i = 1;
    for (Value v : values) {
      v.bind(ps, i++);
    }
    return i;
  }
}
