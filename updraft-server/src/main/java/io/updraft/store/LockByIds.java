package io.updraft.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The second half of a claim: lock rows already chosen by id, {@code FOR UPDATE SKIP LOCKED}.
 *
 * <p>Claims that need an order other than the primary key (priority, last scheduling decision) read
 * their candidates first without locks, then lock them here by primary key. Locking in the ordered
 * query itself would lock every row the engine reads to sort them, not just the few returned: H2
 * and InnoDB both do (shared/LIMITS.md), which serializes every other claimer behind the first. By
 * primary key, each engine locks exactly the listed rows.
 *
 * <p>The {@code IN} list is padded to a power of two by repeating the last id, so a repository
 * prepares at most a handful of distinct statement texts instead of one per list length.
 */
final class LockByIds {
  private final String template;
  private final ConcurrentHashMap<Integer, String> bySize = new ConcurrentHashMap<>();

  /** {@code template} holds {@code %s} where the {@code ?, ?, ...} of the id list goes. */
  LockByIds(String template) {
    this.template = template;
  }

  /** The statement for {@code count} ids. */
  String sql(int count) {
    return bySize.computeIfAbsent(
        padded(count),
        n -> template.formatted(String.join(", ", java.util.Collections.nCopies(n, "?"))));
  }

  /** The next power of two at or above {@code count}. */
  static int padded(int count) {
    return count <= 1 ? 1 : Integer.highestOneBit(count - 1) << 1;
  }

  /**
   * Binds the keys (Long or String) from parameter {@code first}, padded as {@link #sql} expects;
   * returns the next parameter index.
   */
  int bind(PreparedStatement ps, int first, List<?> ids) throws SQLException {
    int padded = padded(ids.size());
    for (int i = 0; i < padded; i++) {
      Object id = ids.get(Math.min(i, ids.size() - 1));
      if (id instanceof Long l) {
        ps.setLong(first + i, l);
      } else {
        ps.setString(first + i, (String) id);
      }
    }
    return first + padded;
  }
}
