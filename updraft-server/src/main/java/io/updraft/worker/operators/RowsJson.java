package io.updraft.worker.operators;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Clob;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of a query as JSON values (SPEC §1.3): one object per row, keyed by column label, with
 * JSON's types — numbers stay numbers (decimals exact), booleans, null; timestamps ISO-8601 (with
 * their offset when the column has a time zone), dates and times ISO; binary as base64; anything
 * else as its text.
 */
final class RowsJson {
  /** The most rows a {@code sql} task returns. */
  static final int MAX_ROWS = 1000;

  private RowsJson() {}

  /** The rows read, and whether the result had more than {@link #MAX_ROWS}. */
  record Rows(List<Map<String, Object>> rows, boolean more) {}

  static Rows read(ResultSet rs) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    int columns = meta.getColumnCount();
    List<Map<String, Object>> rows = new ArrayList<>();
    while (rs.next()) {
      if (rows.size() == MAX_ROWS) {
        return new Rows(rows, true);
      }
      Map<String, Object> row = new LinkedHashMap<>();
      for (int i = 1; i <= columns; i++) {
        row.put(meta.getColumnLabel(i), value(rs, i, meta.getColumnType(i)));
      }
      rows.add(row);
    }
    return new Rows(rows, false);
  }

  private static Object value(ResultSet rs, int i, int type) throws SQLException {
    Object v =
        switch (type) {
          case Types.TIMESTAMP -> rs.getObject(i, LocalDateTime.class);
          case Types.TIMESTAMP_WITH_TIMEZONE -> rs.getObject(i, OffsetDateTime.class);
          case Types.DATE -> rs.getObject(i, LocalDate.class);
          case Types.TIME -> rs.getObject(i, LocalTime.class);
          case Types.TIME_WITH_TIMEZONE -> rs.getObject(i, OffsetTime.class);
          default -> rs.getObject(i);
        };
    if (rs.wasNull() || v == null) {
      return null;
    }
    return switch (v) {
      case String s -> s;
      case Boolean b -> b;
      case Integer n -> n;
      case Long n -> n;
      case Short n -> n.intValue();
      case Byte n -> n.intValue();
      case BigDecimal n -> n;
      case java.math.BigInteger n -> n;
      case Double d -> d.isNaN() || d.isInfinite() ? d.toString() : d;
      case Float f -> f.isNaN() || f.isInfinite() ? f.toString() : f.doubleValue();
      case LocalDateTime t -> t.format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
      case OffsetDateTime t -> t.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      case LocalDate d -> d.toString();
      case LocalTime t -> t.format(DateTimeFormatter.ISO_LOCAL_TIME);
      case OffsetTime t -> t.format(DateTimeFormatter.ISO_OFFSET_TIME);
      case java.sql.Timestamp t ->
          t.toLocalDateTime().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
      case java.sql.Date d -> d.toLocalDate().toString();
      case java.sql.Time t -> t.toLocalTime().format(DateTimeFormatter.ISO_LOCAL_TIME);
      case byte[] b -> Base64.getEncoder().encodeToString(b);
      case Clob c -> c.getSubString(1, (int) Math.min(c.length(), Integer.MAX_VALUE));
      case Array a -> arrayValues(a);
      default -> v.toString();
    };
  }

  private static List<Object> arrayValues(Array a) throws SQLException {
    List<Object> out = new ArrayList<>();
    try (ResultSet rs = a.getResultSet()) {
      int type = rs.getMetaData().getColumnType(2);
      while (rs.next()) {
        out.add(value(rs, 2, type));
      }
    }
    return out;
  }
}
