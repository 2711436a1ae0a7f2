package io.updraft.triggerer;

import io.updraft.sensors.Condition;
import io.updraft.sensors.ExternalStates;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code external_task} answers of the current check round, read with one batched call before
 * the round's checks start; a check asking for a condition the round did not prefetch (it started
 * late) falls through to the database. What every check's {@link io.updraft.sensors.CheckEnv}
 * reaches, so a checker asking for one condition costs no query.
 */
final class PrefetchedStates implements ExternalStates {
  private final ExternalStates database;
  private volatile Map<Condition.ExternalTask, Answer> round = Map.of();

  PrefetchedStates(ExternalStates database) {
    this.database = database;
  }

  /** Reads every condition of the round at once (one call); an empty round costs nothing. */
  void prefetch(List<Condition.ExternalTask> conditions) {
    round = conditions.isEmpty() ? Map.of() : new HashMap<>(database.states(conditions));
  }

  @Override
  public Map<Condition.ExternalTask, Answer> states(Collection<Condition.ExternalTask> conditions) {
    Map<Condition.ExternalTask, Answer> known = round;
    Map<Condition.ExternalTask, Answer> out = new HashMap<>();
    List<Condition.ExternalTask> missing =
        conditions.stream().filter(c -> !known.containsKey(c)).toList();
    conditions.stream().filter(known::containsKey).forEach(c -> out.put(c, known.get(c)));
    if (!missing.isEmpty()) {
      out.putAll(database.states(missing));
    }
    return out;
  }
}
