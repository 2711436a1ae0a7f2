package io.updraft.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.sse.SseClient;
import io.updraft.store.ChangeSignals;
import io.updraft.store.Database;
import io.updraft.store.StateFeed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UI's live feed ({@code /ui/events}): one watcher per server, whatever the number of open
 * pages. It wakes on a change signal from another process ({@link ChangeSignals}, PostgreSQL only)
 * or every {@code poll} (half a second), reads what changed since its watermark in ONE query
 * ({@link StateFeed}) — only while some browser watches — and sends each browser the changes of the
 * DAGs its page shows, filtered in memory.
 *
 * <p>The watermark is the newest {@code updated_at} seen; each read goes back {@link #OVERLAP}
 * before it (a transaction committing late, another host's clock slightly behind), and what was
 * already sent (same row, state and {@code updated_at}) is not sent again.
 */
final class LiveFeed implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);
  static final Duration OVERLAP = Duration.ofSeconds(5);
  private static final int BATCH = 5000;
  private static final Duration HEARTBEAT = Duration.ofSeconds(15);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An open page: its stream and the DAGs it shows (empty: every DAG). */
  private record Watcher(SseClient client, Set<String> dags) {}

  private final Database db;
  private final Clock clock;
  private final Duration poll;
  private final StateFeed states;
  private final Set<Watcher> watchers = ConcurrentHashMap.newKeySet();
  private final AtomicLong queries = new AtomicLong();
  private final Object lock = new Object();
  private final Map<String, String> seen = new HashMap<>();
  private final List<AutoCloseable> listeners = new ArrayList<>();
  private Thread thread;
  private boolean signalled;
  private volatile boolean closed;
  private volatile Instant restartAt;
  private Instant watermark;
  private Instant cursor;
  private Instant lastHeartbeat = Instant.EPOCH;

  LiveFeed(Database db, Clock clock, Duration poll) {
    this.db = db;
    this.clock = clock;
    this.poll = poll;
    this.states = new StateFeed(db);
  }

  /** How many change queries the feed has run: one per batch, however many pages watch. */
  long queries() {
    return queries.get();
  }

  /** How many pages watch now. */
  int watchers() {
    return watchers.size();
  }

  /** A new page to keep up to date; starts the watcher with the first. */
  void add(SseClient client, Set<String> dags) {
    Watcher w = new Watcher(client, Set.copyOf(dags));
    client.onClose(() -> watchers.remove(w));
    synchronized (lock) {
      if (closed) {
        client.close();
        return;
      }
      if (watchers.isEmpty()) {
        // Nobody watched: what changed meanwhile is on the page already.
        restartAt = clock.instant().minus(OVERLAP);
      }
      watchers.add(w);
      if (thread == null) {
        listeners.add(ChangeSignals.listen(db, this::wake));
        listeners.add(ChangeSignals.listenTaskEnds(db, this::wake));
        thread = Thread.ofPlatform().name("ui-live-feed").daemon().start(this::run);
      }
    }
  }

  /** Something changed: read at once rather than at the next poll. */
  void wake() {
    synchronized (lock) {
      signalled = true;
      lock.notifyAll();
    }
  }

  private void run() {
    while (!closed) {
      try {
        synchronized (lock) {
          if (!signalled) {
            lock.wait(poll.toMillis());
          }
          signalled = false;
        }
        if (!closed && !watchers.isEmpty()) {
          readAndSend();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.warn("the live feed could not read the changes ({}); trying again", e.getMessage());
      }
    }
  }

  private void readAndSend() {
    Instant restart = restartAt;
    if (restart != null) {
      restartAt = null;
      watermark = restart;
      cursor = null;
    }
    Instant since = cursor != null ? cursor : watermark.minus(OVERLAP);
    queries.incrementAndGet();
    List<StateFeed.Change> changes = states.since(since, BATCH);
    List<StateFeed.Change> fresh = new ArrayList<>();
    for (StateFeed.Change c : changes) {
      String key =
          c.dagId() + '\u0000' + c.runId() + '\u0000' + c.taskId() + '\u0000' + c.mapIndex();
      String value = c.state() + '@' + c.updatedAt();
      if (!value.equals(seen.put(key, value))) {
        fresh.add(c);
      }
      if (c.updatedAt() != null && c.updatedAt().isAfter(watermark)) {
        watermark = c.updatedAt();
      }
    }
    if (changes.size() == BATCH) {
      // A burst: go on from the last one read, at once.
      cursor = changes.get(changes.size() - 1).updatedAt();
      wake();
    } else {
      cursor = null;
    }
    forget(watermark.minus(OVERLAP));
    send(fresh);
  }

  /** Drops what no read will return again, so memory stays bounded by recent activity. */
  private void forget(Instant before) {
    if (seen.size() < 10_000) {
      return;
    }
    Iterator<Map.Entry<String, String>> it = seen.entrySet().iterator();
    while (it.hasNext()) {
      String v = it.next().getValue();
      Instant at = Instant.parse(v.substring(v.lastIndexOf('@') + 1));
      if (at.isBefore(before)) {
        it.remove();
      }
    }
  }

  private void send(List<StateFeed.Change> fresh) {
    Instant now = Instant.now();
    boolean beat = Duration.between(lastHeartbeat, now).compareTo(HEARTBEAT) >= 0;
    if (beat) {
      lastHeartbeat = now;
    }
    for (Watcher w : watchers) {
      if (w.client().terminated()) {
        watchers.remove(w);
        continue;
      }
      List<StateFeed.Change> mine =
          w.dags().isEmpty()
              ? fresh
              : fresh.stream().filter(c -> w.dags().contains(c.dagId())).toList();
      if (!mine.isEmpty()) {
        w.client().sendEvent("states", json(mine));
      } else if (beat) {
        w.client().sendComment("alive");
      }
    }
  }

  /**
   * {@code {"tis":[{"dag":…,"ti":"run|task|map_index","state":…}],"runs":[{"dag":…,"run":…,
   * "state":…}]}}: what {@code static/updraft.js} applies to the page.
   */
  static String json(List<StateFeed.Change> changes) {
    List<Map<String, Object>> tis = new ArrayList<>();
    List<Map<String, Object>> runs = new ArrayList<>();
    for (StateFeed.Change c : changes) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("dag", c.dagId());
      if (c.isRun()) {
        m.put("run", c.runId());
        m.put("state", c.state());
        runs.add(m);
      } else {
        m.put("ti", c.runId() + "|" + c.taskId() + "|" + c.mapIndex());
        m.put("state", c.state());
        tis.add(m);
      }
    }
    try {
      return JSON.writeValueAsString(Map.of("tis", tis, "runs", runs));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("maps of strings always serialize", e);
    }
  }

  @Override
  public void close() {
    List<AutoCloseable> toClose;
    synchronized (lock) {
      closed = true;
      lock.notifyAll();
      toClose = List.copyOf(listeners);
      listeners.clear();
    }
    for (Watcher w : watchers) {
      w.client().close();
    }
    watchers.clear();
    for (AutoCloseable l : toClose) {
      try {
        l.close();
      } catch (Exception e) {
        log.debug("closing a change listener: {}", e.getMessage());
      }
    }
  }
}
