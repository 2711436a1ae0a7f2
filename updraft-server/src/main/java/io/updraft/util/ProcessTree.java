package io.updraft.util;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Ends a process and everything it started: SIGTERM to the whole tree, then SIGKILL to whatever is
 * still alive after a grace period — what Airflow does to a timed-out or killed task. The root is
 * signalled before its descendants, so a shell cannot start its next command after a killed child.
 *
 * <p>The tree is found through {@link ProcessHandle#descendants()} (the kernel's parent links).
 * Handles are taken before any signal is sent, so a grandchild whose parent dies first is still
 * known and killed even though it has been re-parented. A process that detached itself from the
 * tree before this runs (a double-forking daemon) cannot be found this way.
 *
 * <p>Used for every process Updraft ends: a try's {@code bash} (its timeout, a cancel) and a Java
 * DAG file's parse JVM (its {@code dag_processor.file_timeout}).
 */
public final class ProcessTree {

  private ProcessTree() {}

  /**
   * Terminates {@code root} and its descendants, waits up to {@code grace} for them to exit, then
   * kills what is left (including descendants started during the grace period).
   *
   * @param known further processes seen earlier as part of this tree (may have been re-parented)
   */
  public static void kill(ProcessHandle root, Set<ProcessHandle> known, Duration grace) {
    Set<ProcessHandle> tree = new LinkedHashSet<>(known);
    tree.addAll(snapshot(root));
    // The root first: a shell whose child is killed before it goes on to its next command in the
    // moment before its own signal arrives ("sleep 30; touch done" would touch). Its descendants
    // are signalled through handles taken up front: once the root dies they are re-parented and
    // would no longer be found as its descendants.
    root.destroy();
    tree.forEach(ProcessHandle::destroy);

    List<CompletableFuture<ProcessHandle>> exits = new ArrayList<>();
    tree.forEach(p -> exits.add(p.onExit()));
    exits.add(root.onExit());
    try {
      CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new))
          .get(grace.toNanos(), TimeUnit.NANOSECONDS);
      return;
    } catch (TimeoutException e) {
      // some ignored SIGTERM: kill below
    } catch (ExecutionException e) {
      // onExit does not fail; fall through to the forcible kill
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Set<ProcessHandle> left = new LinkedHashSet<>(tree);
    left.addAll(snapshot(root));
    root.destroyForcibly();
    left.forEach(ProcessHandle::destroyForcibly);
  }

  /** The live descendants of {@code root}, found now. */
  public static List<ProcessHandle> snapshot(ProcessHandle root) {
    try {
      return root.descendants().filter(ProcessHandle::isAlive).toList();
    } catch (RuntimeException e) {
      return List.of(); // the process list can change under us; take what we can on the next look
    }
  }
}
