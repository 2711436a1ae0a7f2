package io.updraft.worker.template;

import io.pebbletemplates.pebble.error.PebbleException;
import java.util.Optional;
import java.util.function.Function;

/**
 * A template value whose attributes are found only when a template reads them: {@code conn.ID},
 * {@code var.value.KEY}, {@code var.json.KEY}. Nothing is read from the database or decrypted for a
 * template that does not name it, and an unknown name fails the render with {@code missing}'s line.
 * {@code get(name, default)} returns the default instead, as Airflow's {@code var.value.get('k',
 * 'd')}.
 */
final class NamedLookup {
  private final String typeName;
  private final Function<String, Optional<Object>> find;
  private final Function<String, String> missing;

  /**
   * @param typeName what {@code {{ var.value }}} prints and errors call it
   * @param find the lookup; may throw an exception whose message is one clear line
   * @param missing the error line for a name that is not found
   */
  NamedLookup(
      String typeName, Function<String, Optional<Object>> find, Function<String, String> missing) {
    this.typeName = typeName;
    this.find = find;
    this.missing = missing;
  }

  /** {@code obj.name} (no arguments) or {@code obj.get(name[, default])}. */
  Object resolve(String name, Object[] args, int lineNumber, String filename) {
    try {
      if (args != null && "get".equals(name)) {
        if (args.length == 0 || args[0] == null) {
          throw new IllegalArgumentException(typeName + ".get() needs a name");
        }
        String key = String.valueOf(args[0]);
        Object fallback = args.length > 1 ? args[1] : null;
        return find.apply(key).orElse(fallback);
      }
      if (args != null) {
        throw new IllegalArgumentException("'" + typeName + "' has no method '" + name + "'");
      }
      return find.apply(name).orElseThrow(() -> new IllegalStateException(missing.apply(name)));
    } catch (RuntimeException e) {
      throw new PebbleException(null, e.getMessage(), lineNumber, filename);
    }
  }

  @Override
  public String toString() {
    return "<" + typeName + ">";
  }
}
