package io.updraft.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedCacheTest {
  private final List<String> loads = new ArrayList<>();

  private String load(String key) {
    loads.add(key);
    return key.toUpperCase();
  }

  @Test
  void aValueIsLoadedOnceWhileItIsKept() {
    BoundedCache<String, String> cache = BoundedCache.ofEntries(2);
    assertThat(cache.get("a", this::load)).isEqualTo("A");
    assertThat(cache.get("a", this::load)).isEqualTo("A");
    assertThat(loads).containsExactly("a");
  }

  @Test
  void theLeastRecentlyUsedGoFirstPastTheBound() {
    BoundedCache<String, String> cache = BoundedCache.ofEntries(2);
    cache.get("a", this::load);
    cache.get("b", this::load);
    cache.get("a", this::load); // a used last: b goes when c comes
    cache.get("c", this::load);
    assertThat(cache.size()).isEqualTo(2);
    cache.get("a", this::load);
    cache.get("b", this::load);
    assertThat(loads).containsExactly("a", "b", "c", "b");
  }

  @Test
  void theBoundIsOnTheValuesWeightAndOneHeavyValueIsKeptAlone() {
    BoundedCache<String, String> cache = new BoundedCache<>(10, String::length);
    cache.get("abcd", this::load);
    cache.get("efgh", this::load);
    assertThat(cache.weight()).isEqualTo(8);
    cache.get("ijklmnopqrstu", this::load);
    assertThat(cache.size()).isEqualTo(1);
    assertThat(cache.weight()).isEqualTo(13);
    cache.get("ijklmnopqrstu", this::load);
    assertThat(loads).hasSize(3);
  }

  @Test
  void aFailedOrEmptyLoadIsNotKept() {
    BoundedCache<String, String> cache = BoundedCache.ofEntries(2);
    assertThat(cache.get("a", k -> null)).isNull();
    assertThatThrownBy(
            () ->
                cache.get(
                    "a",
                    k -> {
                      throw new IllegalStateException("gone");
                    }))
        .hasMessage("gone");
    assertThat(cache.size()).isZero();
    assertThatThrownBy(() -> BoundedCache.ofEntries(0)).hasMessageContaining("maxWeight");
  }
}
