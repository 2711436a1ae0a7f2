package io.updraft.triggerer;

import io.updraft.store.TriggerRepository;
import io.updraft.store.TriggerRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The triggers one triggerer holds, at most {@code capacity}: claimed from {@code deferred_trigger}
 * (rows nobody holds, or held by a triggerer that is no longer alive), loaded into waits, and
 * dropped when the database says this triggerer no longer holds them (the task was cleared, or
 * another triggerer took them over while this one seemed dead).
 */
final class TriggerSlots {
  private static final Logger log = LoggerFactory.getLogger(TriggerSlots.class);

  private final TriggerRepository triggers;
  private final int capacity;
  private final Map<Long, SensorWait> waits = new ConcurrentHashMap<>();

  /** Claimed rows not (yet) turned into waits: orphans, and loads that failed (retried). */
  private final Map<Long, TriggerRow> unloaded = new ConcurrentHashMap<>();

  TriggerSlots(TriggerRepository triggers, int capacity) {
    this.triggers = triggers;
    this.capacity = capacity;
  }

  /** Room for more triggers. */
  int free() {
    return capacity - waits.size() - unloaded.size();
  }

  int held() {
    return waits.size();
  }

  /**
   * Claims up to the free room for job {@code jobId} and returns the claimed rows, with those whose
   * earlier load failed, to be loaded.
   */
  List<TriggerRow> claim(long jobId, Collection<Long> alive, Instant now) {
    List<TriggerRow> out = new ArrayList<>(unloaded.values());
    int room = free();
    if (room > 0) {
      List<TriggerRow> claimed = triggers.claim(jobId, alive, room, now);
      claimed.forEach(r -> unloaded.put(r.id(), r));
      out.addAll(claimed);
    }
    return out;
  }

  /** A claimed row became a wait. */
  void add(SensorWait wait) {
    unloaded.remove(wait.triggerId());
    waits.put(wait.triggerId(), wait);
  }

  /** A claimed row belongs to no deferred try: held but not checked (deleted with its try). */
  void orphan(long triggerId) {
    unloaded.remove(triggerId);
  }

  /** A claimed row was ended without a wait (its try could not wait). */
  void done(long triggerId) {
    unloaded.remove(triggerId);
    waits.remove(triggerId);
  }

  /** Keeps only the triggers the database says {@code jobId} holds; returns how many it dropped. */
  int keepOnly(Set<Long> held) {
    int dropped = 0;
    for (Long id : List.copyOf(waits.keySet())) {
      if (!held.contains(id)) {
        SensorWait w = waits.remove(id);
        if (w != null) {
          w.ended();
          dropped++;
        }
      }
    }
    unloaded.keySet().removeIf(id -> !held.contains(id));
    if (dropped > 0) {
      log.info(
          "dropped {} trigger(s) this triggerer no longer holds (cleared or taken over)", dropped);
    }
    return dropped;
  }

  Collection<SensorWait> waits() {
    return waits.values();
  }

  /** Drops everything (the triggerer's job was ended by another). */
  void clear() {
    waits.values().forEach(SensorWait::ended);
    waits.clear();
    unloaded.clear();
  }
}
