package io.updraft.util;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * A cache of values that never change for their key (a DAG version named by its hash), bounded by
 * the total weight of its values: the least recently used go first. A missing value is loaded
 * outside the lock, so a slow load (a database read) holds back no other key; two callers that miss
 * the same key at once may both load it, and one result is kept.
 */
public final class BoundedCache<K, V> {
  private final long maxWeight;
  private final ToLongFunction<V> weigher;
  private final LinkedHashMap<K, V> entries = new LinkedHashMap<>(64, 0.75f, true);
  private long weight;

  /**
   * @param maxWeight the most the values weigh together (one heavier value is still kept alone)
   * @param weigher a value's weight, at least 1
   */
  public BoundedCache(long maxWeight, ToLongFunction<V> weigher) {
    if (maxWeight < 1) {
      throw new IllegalArgumentException("maxWeight: must be 1 or more, not " + maxWeight);
    }
    this.maxWeight = maxWeight;
    this.weigher = weigher;
  }

  /** A cache of at most {@code maxEntries} values. */
  public static <K, V> BoundedCache<K, V> ofEntries(int maxEntries) {
    return new BoundedCache<>(maxEntries, v -> 1);
  }

  /** The value of {@code key}, loaded by {@code load} if it is not cached (null is not cached). */
  public V get(K key, Function<? super K, ? extends V> load) {
    synchronized (this) {
      V v = entries.get(key);
      if (v != null) {
        return v;
      }
    }
    V loaded = load.apply(key);
    if (loaded == null) {
      return null;
    }
    synchronized (this) {
      V raced = entries.get(key);
      if (raced != null) {
        return raced;
      }
      entries.put(key, loaded);
      weight += Math.max(1, weigher.applyAsLong(loaded));
      Iterator<Map.Entry<K, V>> oldest = entries.entrySet().iterator();
      while (weight > maxWeight && entries.size() > 1) {
        V evicted = oldest.next().getValue();
        oldest.remove();
        weight -= Math.max(1, weigher.applyAsLong(evicted));
      }
      return loaded;
    }
  }

  public synchronized int size() {
    return entries.size();
  }

  public synchronized long weight() {
    return weight;
  }
}
