package io.updraft.dag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * What a built-in operator accepts: its own keys (beyond the common task keys), which of them are
 * required, and the kind of value each takes.
 *
 * @param keys the operator's keys and their value kinds, in documentation order
 * @param required the keys a task with this operator must set
 * @param extraCheck further checks of the whole argument map (e.g. a sensor's wait conditions);
 *     called with the arguments and a sink for problems, whose paths are relative to the task
 */
public record OperatorSpec(
    String name,
    Map<String, ValueType> keys,
    Set<String> required,
    BiConsumer<Map<String, Object>, List<Problem>> extraCheck) {

  public OperatorSpec {
    Objects.requireNonNull(name, "name");
    keys = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    required = Set.copyOf(required);
    extraCheck = extraCheck == null ? (args, out) -> {} : extraCheck;
    if (!keys.keySet().containsAll(required)) {
      throw new IllegalArgumentException("required keys must be keys of operator " + name);
    }
  }

  /**
   * Checks a task's operator arguments: unknown keys, missing required keys, values of the wrong
   * kind. Paths in the problems are relative to the task ({@code command}, {@code wait[1]}); a
   * missing key is reported at {@code operator}.
   */
  public List<Problem> check(Map<String, Object> args) {
    List<Problem> out = new ArrayList<>();
    for (String key : required) {
      if (!args.containsKey(key) || args.get(key) == null) {
        out.add(
            new Problem(
                "operator",
                "operator '"
                    + name
                    + "' needs the key '"
                    + key
                    + "' — add "
                    + key
                    + ": to the task"));
      }
    }
    for (Map.Entry<String, Object> e : args.entrySet()) {
      String key = e.getKey();
      ValueType type = keys.get(key);
      if (type == null) {
        out.add(
            new Problem(
                key,
                "unknown key '"
                    + key
                    + "' for operator '"
                    + name
                    + "' — "
                    + (keys.isEmpty()
                        ? "this operator takes no keys of its own"
                        : "its keys are " + String.join(", ", keys.keySet()))
                    + Suggestions.didYouMean(key, keys.keySet(), "; ")));
      } else if (e.getValue() != null && !type.accepts(e.getValue())) {
        out.add(
            new Problem(
                key,
                key
                    + " must be "
                    + type.description()
                    + ", not "
                    + describe(e.getValue())
                    + " — fix the value"));
      }
    }
    extraCheck.accept(args, out);
    return out;
  }

  /** A short description of a value for messages: {@code 'abc'}, {@code 42}, {@code a list}. */
  public static String describe(Object value) {
    if (value instanceof String s) {
      return "'" + s + "'";
    }
    if (value instanceof Map) {
      return "a map";
    }
    if (value instanceof List) {
      return "a list";
    }
    return String.valueOf(value);
  }
}
