package io.updraft.state;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * An immutable table of allowed state changes: every allowed {@code (from, to)} pair is one row
 * with the reason it exists. Anything not in the table is illegal and {@link #check} throws.
 *
 * <p>A change from a state to itself is never a row: a write that would not change the state is a
 * no-op the caller skips (as Airflow's {@code set_state} returns {@code False}), not a transition.
 *
 * @param <S> the state enum
 */
public final class Transitions<S extends Enum<S>> {

  /** One allowed change and why Airflow makes it. */
  public record Transition<S extends Enum<S>>(S from, S to, String why) {
    public Transition {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(why, "why");
    }
  }

  private final String subject;
  private final Function<S, String> name;
  private final List<Transition<S>> rows;
  private final Map<S, Map<S, Transition<S>>> byFrom;

  private Transitions(
      Class<S> type, String subject, Function<S, String> name, List<Transition<S>> rows) {
    this.subject = subject;
    this.name = name;
    this.rows = List.copyOf(rows);
    Map<S, Map<S, Transition<S>>> index = new EnumMap<>(type);
    for (S s : type.getEnumConstants()) {
      index.put(s, new EnumMap<>(type));
    }
    for (Transition<S> t : rows) {
      if (t.from() == t.to()) {
        throw new IllegalArgumentException(
            "A state cannot change to itself; remove the row " + describe(t.from(), t.to()));
      }
      if (index.get(t.from()).put(t.to(), t) != null) {
        throw new IllegalArgumentException(
            "Duplicate row " + describe(t.from(), t.to()) + "; list each pair once");
      }
    }
    index.replaceAll((k, v) -> Collections.unmodifiableMap(v));
    this.byFrom = Collections.unmodifiableMap(index);
  }

  public static <S extends Enum<S>> Builder<S> builder(
      Class<S> type, String subject, Function<S, String> name) {
    return new Builder<>(type, subject, name);
  }

  public boolean isAllowed(S from, S to) {
    return byFrom.get(from).containsKey(to);
  }

  /** Throws {@link IllegalTransitionException} unless {@code from -> to} is a row. */
  public void check(S from, S to) {
    check(from, to, null);
  }

  /**
   * Throws {@link IllegalTransitionException} unless {@code from -> to} is a row.
   *
   * @param context what is changing state, e.g. a task instance key; null for none
   */
  public void check(S from, S to, String context) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (!isAllowed(from, to)) {
      String what = context == null ? "" : " for " + context;
      throw new IllegalTransitionException(
          "Illegal "
              + subject
              + " state change "
              + describe(from, to)
              + what
              + ": not in the transition table; this is a bug in Updraft, please report it",
          from,
          to);
    }
  }

  /** Why {@code from -> to} is allowed, or empty if it is not. */
  public Optional<String> why(S from, S to) {
    return Optional.ofNullable(byFrom.get(from).get(to)).map(Transition::why);
  }

  /** The states {@code from} may change to. */
  public Set<S> targets(S from) {
    Map<S, Transition<S>> m = byFrom.get(from);
    if (m.isEmpty()) {
      return Set.of();
    }
    return Collections.unmodifiableSet(EnumSet.copyOf(m.keySet()));
  }

  /** Every row, in the order the table lists them. */
  public List<Transition<S>> rows() {
    return rows;
  }

  private String describe(S from, S to) {
    return name.apply(from) + " -> " + name.apply(to);
  }

  /** Collects rows; {@link #build} rejects duplicates and self-changes. */
  public static final class Builder<S extends Enum<S>> {
    private final Class<S> type;
    private final String subject;
    private final Function<S, String> name;
    private final List<Transition<S>> rows = new ArrayList<>();

    private Builder(Class<S> type, String subject, Function<S, String> name) {
      this.type = type;
      this.subject = subject;
      this.name = name;
    }

    public Builder<S> allow(S from, S to, String why) {
      rows.add(new Transition<>(from, to, why));
      return this;
    }

    public Transitions<S> build() {
      return new Transitions<>(type, subject, name, rows);
    }
  }
}
