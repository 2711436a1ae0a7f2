package io.updraft.store;

/**
 * The slots task instances hold in one pool. Open slots are the pool's slots minus queued and
 * running, minus deferred when the pool has {@code include_deferred}.
 */
public record PoolOccupancy(String pool, int queuedSlots, int runningSlots, int deferredSlots) {
  public int occupied(boolean includeDeferred) {
    return queuedSlots + runningSlots + (includeDeferred ? deferredSlots : 0);
  }
}
