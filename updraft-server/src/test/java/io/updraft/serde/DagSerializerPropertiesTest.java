package io.updraft.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.dag.Dag;
import io.updraft.dag.Schedule;
import io.updraft.dag.Task;
import io.updraft.dag.TriggerRule;
import io.updraft.dag.WeightRule;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random DAGs: the JSON is stable under reading back, under reordering everything whose order
 * carries no meaning, and under other Java types for the same numbers; reading gives the canonical
 * form this test computes on its own.
 */
class DagSerializerPropertiesTest {
  private static final ObjectMapper JACKSON = new ObjectMapper();

  /** A DAG and the same DAG written in another order with other number types. */
  record Pair(Dag dag, Dag reordered) {}

  @Provide
  Arbitrary<Pair> dags() {
    return Arbitraries.longs()
        .map(
            seed -> {
              Dag dag = new Gen(new Random(seed)).dag();
              return new Pair(dag, reorder(dag, new Random(seed + 1)));
            });
  }

  @Property(tries = 300)
  void readingBackAndWritingAgainGivesTheSameBytes(@ForAll("dags") Pair p) {
    SerializedDag s = DagSerializer.serialize(p.dag());
    // Through the UTF-8 bytes, as stored: text UTF-8 cannot carry would be lost here.
    String stored = new String(s.bytes(), StandardCharsets.UTF_8);

    assertThat(stored).isEqualTo(s.json());
    assertThat(DagSerializer.serialize(DagSerializer.fromJson(stored))).isEqualTo(s);
  }

  @Property(tries = 300)
  void orderAndNumberTypesDoNotChangeTheJsonOrHash(@ForAll("dags") Pair p) {
    assertThat(DagSerializer.serialize(p.reordered())).isEqualTo(DagSerializer.serialize(p.dag()));
  }

  @Property(tries = 300)
  void readingGivesTheCanonicalForm(@ForAll("dags") Pair p) {
    Dag read = DagSerializer.fromJson(DagSerializer.toJson(p.reordered()));

    assertThat(read).isEqualTo(canonical(p.dag()));
  }

  @Property(tries = 300)
  void theJsonIsOneLineThatAnyJsonParserReads(@ForAll("dags") Pair p) throws Exception {
    String json = DagSerializer.toJson(p.dag());

    assertThat(json).doesNotContain("\n", "\r");
    assertThat(json.chars().filter(c -> c < 0x20)).isEmpty();
    assertThat(JACKSON.readTree(json).get("dag").get("dag_id").textValue())
        .isEqualTo(p.dag().dagId());
  }

  // ---- the expected canonical form, computed independently of the serializer

  static Dag canonical(Dag d) {
    List<Task> tasks = new ArrayList<>();
    for (Task t : d.tasks()) {
      tasks.add(
          new Task(
              t.taskId(),
              t.operator(),
              canonicalMap(t.args()),
              List.copyOf(new TreeSet<>(t.upstream())),
              t.triggerRule(),
              t.retries(),
              t.retryDelay(),
              t.retryExponentialBackoff(),
              t.maxRetryDelay(),
              t.executionTimeout(),
              t.pool(),
              t.poolSlots(),
              t.priorityWeight(),
              t.weightRule(),
              t.queue(),
              t.maxActiveTisPerDag(),
              t.dependsOnPast(),
              t.waitForDownstream(),
              t.startDate(),
              t.endDate(),
              t.env(),
              t.owner(),
              t.doc()));
    }
    tasks.sort(Comparator.comparing(Task::taskId));
    return new Dag(
        d.dagId(),
        d.description(),
        d.schedule(),
        d.timezone(),
        d.startDate(),
        d.endDate(),
        d.catchup(),
        d.maxActiveRuns(),
        d.maxActiveTasks(),
        d.dagrunTimeout(),
        List.copyOf(new TreeSet<>(d.tags())),
        canonicalMap(d.params()),
        tasks);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> canonicalMap(Map<String, Object> m) {
    return (Map<String, Object>) canonicalValue(m);
  }

  private static Object canonicalValue(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put((String) k, canonicalValue(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      return l.stream().map(DagSerializerPropertiesTest::canonicalValue).toList();
    }
    if (v instanceof Integer || v instanceof Long || v instanceof BigInteger) {
      BigInteger b = new BigInteger(v.toString());
      return b.bitLength() < 32 ? b.intValue() : b.bitLength() < 64 ? b.longValue() : b;
    }
    return v;
  }

  // ---- the same DAG in another order, with other Java types for integral numbers

  static Dag reorder(Dag d, Random r) {
    List<Task> tasks = new ArrayList<>();
    for (Task t : d.tasks()) {
      List<String> upstream = new ArrayList<>(t.upstream());
      Collections.shuffle(upstream, r);
      tasks.add(
          new Task(
              t.taskId(),
              t.operator(),
              reorderMap(t.args(), r),
              upstream,
              t.triggerRule(),
              t.retries(),
              t.retryDelay(),
              t.retryExponentialBackoff(),
              t.maxRetryDelay(),
              t.executionTimeout(),
              t.pool(),
              t.poolSlots(),
              t.priorityWeight(),
              t.weightRule(),
              t.queue(),
              t.maxActiveTisPerDag(),
              t.dependsOnPast(),
              t.waitForDownstream(),
              t.startDate(),
              t.endDate(),
              reorderEnv(t.env(), r),
              t.owner(),
              t.doc()));
    }
    Collections.shuffle(tasks, r);
    List<String> tags = new ArrayList<>(d.tags());
    Collections.shuffle(tags, r);
    return new Dag(
        d.dagId(),
        d.description(),
        d.schedule(),
        d.timezone(),
        d.startDate(),
        d.endDate(),
        d.catchup(),
        d.maxActiveRuns(),
        d.maxActiveTasks(),
        d.dagrunTimeout(),
        tags,
        reorderMap(d.params(), r),
        tasks);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> reorderMap(Map<String, Object> m, Random r) {
    return (Map<String, Object>) reorderValue(m, r);
  }

  private static Map<String, String> reorderEnv(Map<String, String> env, Random r) {
    List<String> keys = new ArrayList<>(env.keySet());
    Collections.shuffle(keys, r);
    Map<String, String> out = new LinkedHashMap<>();
    keys.forEach(k -> out.put(k, env.get(k)));
    return out;
  }

  private static Object reorderValue(Object v, Random r) {
    if (v instanceof Map<?, ?> m) {
      List<Object> keys = new ArrayList<>(m.keySet());
      Collections.shuffle(keys, r);
      Map<String, Object> out = new LinkedHashMap<>();
      keys.forEach(k -> out.put((String) k, reorderValue(m.get(k), r)));
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(reorderValue(x, r))); // list order has meaning: kept
      return out;
    }
    if (v instanceof Integer i) {
      return r.nextBoolean() ? (Object) i.longValue() : BigInteger.valueOf(i);
    }
    if (v instanceof Long l) {
      return BigInteger.valueOf(l);
    }
    return v;
  }

  /** Random DAG values, including text that needs escaping and every number kind. */
  static final class Gen {
    private static final List<ZoneId> ZONES =
        List.of(
            ZoneId.of("UTC"), ZoneId.of("Europe/Amsterdam"), ZoneId.of("Z"), ZoneId.of("+05:30"));
    private final Random r;

    Gen(Random r) {
      this.r = r;
    }

    Dag dag() {
      int n = r.nextInt(6);
      List<String> ids = new ArrayList<>();
      while (ids.size() < n) {
        String id = text(6);
        if (!ids.contains(id)) {
          ids.add(id);
        }
      }
      List<Task> tasks = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        List<String> upstream = new ArrayList<>();
        for (int j = 0; j < i; j++) {
          if (r.nextBoolean()) {
            upstream.add(ids.get(j));
          }
        }
        if (!upstream.isEmpty() && r.nextInt(4) == 0) {
          upstream.add(upstream.get(0)); // duplicates collapse
        }
        tasks.add(task(ids.get(i), upstream));
      }
      List<String> tags = new ArrayList<>();
      for (int i = r.nextInt(4); i > 0; i--) {
        tags.add(text(5));
      }
      return new Dag(
          text(10),
          orNull(text(20)),
          schedule(),
          ZONES.get(r.nextInt(ZONES.size())),
          orNull(instant()),
          orNull(instant()),
          r.nextBoolean(),
          r.nextInt(),
          r.nextInt(),
          orNull(duration()),
          tags,
          map(2),
          tasks);
    }

    Task task(String id, List<String> upstream) {
      Map<String, String> env = new LinkedHashMap<>();
      for (int i = r.nextInt(3); i > 0; i--) {
        env.put(text(4), orNull(text(8)));
      }
      return new Task(
          id,
          text(6),
          map(2),
          upstream,
          pick(TriggerRule.values()),
          r.nextInt(),
          duration(),
          r.nextBoolean(),
          orNull(duration()),
          orNull(duration()),
          text(5),
          r.nextInt(),
          r.nextInt(),
          pick(WeightRule.values()),
          text(5),
          orNull(r.nextInt()),
          r.nextBoolean(),
          r.nextBoolean(),
          orNull(instant()),
          orNull(instant()),
          env,
          text(5),
          orNull(text(30)));
    }

    Schedule schedule() {
      return switch (r.nextInt(5)) {
        case 0 -> new Schedule.Manual();
        case 1 -> new Schedule.Once();
        case 2 -> new Schedule.Continuous();
        case 3 -> new Schedule.Cron(text(8), text(9), r.nextBoolean());
        default -> new Schedule.Delta(orNull(text(4)), duration().plusNanos(1));
      };
    }

    Map<String, Object> map(int depth) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (int i = r.nextInt(5); i > 0; i--) {
        m.put(text(6), value(depth));
      }
      return m;
    }

    Object value(int depth) {
      int kinds = depth > 0 ? 10 : 8;
      return switch (r.nextInt(kinds)) {
        case 0 -> null;
        case 1 -> r.nextBoolean();
        case 2 -> text(12);
        case 3 -> r.nextInt(2000) - 1000;
        case 4 -> r.nextBoolean() ? r.nextLong() : (long) r.nextInt();
        case 5 -> new BigInteger(100, r).negate().shiftLeft(r.nextInt(3));
        case 6 -> finiteDouble();
        case 7 -> (double) (r.nextInt(100) - 50);
        case 8 -> {
          List<Object> l = new ArrayList<>();
          for (int i = r.nextInt(4); i > 0; i--) {
            l.add(value(depth - 1));
          }
          yield l;
        }
        default -> map(depth - 1);
      };
    }

    double finiteDouble() {
      return switch (r.nextInt(4)) {
        case 0 -> r.nextDouble();
        case 1 -> -0.0;
        case 2 -> Double.longBitsToDouble(r.nextLong() & 0x7fefffffffffffffL); // finite
        default -> r.nextGaussian() * 1e6;
      };
    }

    /** Text mixing ASCII, control characters, quotes, non-ASCII, pairs and lone surrogates. */
    String text(int maxLength) {
      StringBuilder s = new StringBuilder();
      int n = r.nextInt(maxLength + 1);
      for (int i = 0; i < n; i++) {
        switch (r.nextInt(8)) {
          case 0 -> s.append((char) r.nextInt(0x20));
          case 1 -> s.append("\"\\/".charAt(r.nextInt(3)));
          case 2 -> s.append((char) (0x80 + r.nextInt(0xd800 - 0x80)));
          case 3 -> s.appendCodePoint(0x10000 + r.nextInt(0x10ffff - 0x10000));
          case 4 -> s.append((char) (0xd800 + r.nextInt(0x800))); // lone surrogate
          default -> s.append((char) (0x20 + r.nextInt(0x5f)));
        }
      }
      return s.toString();
    }

    Instant instant() {
      return Instant.ofEpochSecond(r.nextInt(), r.nextBoolean() ? 0 : r.nextInt(1_000_000_000));
    }

    Duration duration() {
      return Duration.ofSeconds(r.nextInt(1_000_000), r.nextBoolean() ? 0 : r.nextInt(1000));
    }

    <T> T orNull(T value) {
      return r.nextInt(4) == 0 ? null : value;
    }

    <T> T pick(T[] values) {
      return values[r.nextInt(values.length)];
    }
  }
}
