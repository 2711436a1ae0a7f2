package io.updraft.bundle;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.sdk.Operator;
import io.updraft.sdk.SkipTaskException;
import io.updraft.sdk.TaskContext;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Entry point of the child JVM that runs one try of a custom operator for the worker: {@code
 * OperatorMain REQUEST RESULT}. Loads the operator from its bundle alone (its own class loader over
 * the bundle and the SDK), calls {@code execute} on a thread of its own and writes an {@link
 * OperatorResult} to {@code RESULT}. What the operator prints goes to the try's log. When the
 * worker stops the try (timeout, cancel) this JVM is sent SIGTERM: the operator's thread is
 * interrupted and given the worker's kill grace to return.
 */
public final class OperatorMain {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OperatorMain() {}

  public static void main(String[] args) throws Exception {
    OperatorRequest request = JSON.readValue(Path.of(args[0]).toFile(), OperatorRequest.class);
    Path result = Path.of(args[1]);
    OperatorResult out = run(request);
    if (out.state().equals(OperatorResult.FAILED)) {
      System.err.println("error: " + out.error());
    }
    Path partial = result.resolveSibling(result.getFileName() + ".part");
    JSON.writeValue(partial.toFile(), out);
    Files.move(partial, result);
    System.out.flush();
    System.exit(0); // threads the operator left behind must not keep this JVM alive
  }

  static OperatorResult run(OperatorRequest request) throws IOException {
    try (URLClassLoader loader = loader(Path.of(request.bundle()))) {
      return runIn(loader, request);
    }
  }

  /** A class loader over the bundle's jar and the SDK alone. */
  static URLClassLoader loader(Path jar) throws IOException {
    URL bundle = jar.toUri().toURL();
    return new URLClassLoader("bundle", new URL[] {bundle}, new SdkOnlyClassLoader());
  }

  /** Creates the operator from {@code loader} and runs the try on a thread of its own. */
  static OperatorResult runIn(ClassLoader loader, OperatorRequest request) {
    Operator operator;
    try {
      operator = create(loader, request.className());
    } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
      return failed("cannot create operator " + request.className() + ": " + describe(e));
    }
    return execute(operator, new Context(request, System.out), loader);
  }

  private static Operator create(ClassLoader loader, String className)
      throws ReflectiveOperationException {
    Class<?> c = Class.forName(className, true, loader);
    try {
      return (Operator) c.getConstructor().newInstance();
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(describe(e.getCause()), e.getCause());
    }
  }

  private static OperatorResult execute(Operator operator, TaskContext context, ClassLoader cl) {
    AtomicReference<OperatorResult> result = new AtomicReference<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                Object value = operator.execute(context);
                String problem = XComValues.problem(value);
                result.set(
                    problem == null
                        ? new OperatorResult(OperatorResult.SUCCESS, value, null)
                        : failed("execute returned " + problem));
              } catch (SkipTaskException e) {
                result.set(new OperatorResult(OperatorResult.SKIPPED, null, e.getMessage()));
              } catch (Throwable e) {
                e.printStackTrace(System.err);
                result.set(failed(describe(e)));
              }
            },
            "operator");
    thread.setContextClassLoader(cl);
    Thread stopper = new Thread(() -> stop(thread), "operator-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    thread.start();
    try {
      thread.join();
    } catch (InterruptedException e) {
      thread.interrupt();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(stopper);
    } catch (IllegalStateException e) {
      // already shutting down
    }
    OperatorResult r = result.get();
    return r == null ? failed("the operator did not return") : r;
  }

  /**
   * On SIGTERM: interrupt the operator and wait for it (the worker sends SIGKILL after its grace).
   * Not when the operator itself is ending the JVM ({@code System.exit}): it waits for this hook.
   */
  private static void stop(Thread operator) {
    if (!operator.isAlive()) {
      return;
    }
    if (callsExit(operator)) {
      System.err.println("the operator called System.exit: its JVM ends, and this try with it");
      return;
    }
    System.err.println("stopping: the try was cancelled or timed out; interrupting the operator");
    operator.interrupt();
    try {
      operator.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean callsExit(Thread thread) {
    for (StackTraceElement f : thread.getStackTrace()) {
      if (f.getClassName().equals("java.lang.Shutdown")
          || (f.getClassName().equals("java.lang.Runtime") && f.getMethodName().equals("exit"))) {
        return true;
      }
    }
    return false;
  }

  private static OperatorResult failed(String error) {
    return new OperatorResult(OperatorResult.FAILED, null, error);
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getName()
        + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
  }

  /** The {@link TaskContext} of the try. */
  private record Context(OperatorRequest r, PrintStream log) implements TaskContext {
    @Override
    public String dagId() {
      return r.dagId();
    }

    @Override
    public String taskId() {
      return r.taskId();
    }

    @Override
    public String runId() {
      return r.runId();
    }

    @Override
    public Instant logicalDate() {
      return Instant.parse(r.logicalDate());
    }

    @Override
    public Instant dataIntervalStart() {
      return Instant.parse(r.dataIntervalStart());
    }

    @Override
    public Instant dataIntervalEnd() {
      return Instant.parse(r.dataIntervalEnd());
    }

    @Override
    public int tryNumber() {
      return r.tryNumber();
    }

    @Override
    public Map<String, Object> params() {
      return r.params() == null ? Map.of() : r.params();
    }

    @Override
    public Map<String, Object> args() {
      return r.args() == null ? Map.of() : r.args();
    }

    @Override
    public PrintStream log() {
      return log;
    }
  }

  /** What an XCom may hold: text, numbers, booleans, and lists and maps of them. */
  static final class XComValues {
    private XComValues() {}

    /** Why the value cannot be stored, or null when it can. */
    static String problem(Object v) {
      if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
        return null;
      }
      if (v instanceof List<?> list) {
        for (Object item : list) {
          String p = problem(item);
          if (p != null) {
            return p;
          }
        }
        return null;
      }
      if (v instanceof Map<?, ?> map) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
          if (!(e.getKey() instanceof String)) {
            return "a map with a key that is not text";
          }
          String p = problem(e.getValue());
          if (p != null) {
            return p;
          }
        }
        return null;
      }
      return "a "
          + v.getClass().getName()
          + ", which cannot be stored as an XCom — return text, a"
          + " number, a boolean, or a list or map of those";
    }
  }
}
