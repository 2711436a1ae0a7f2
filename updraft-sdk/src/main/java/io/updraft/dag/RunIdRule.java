package io.updraft.dag;

import io.updraft.UpdraftException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a run_id may look like, wherever one comes from outside (the CLI's {@code --run-id}, the
 * REST API's {@code dag_run_id}): Airflow's {@code allowed_run_id_pattern} {@code
 * ^[A-Za-z0-9_.~:+-]+$} with its 250-character column limit. Every run_id Updraft makes itself
 * ({@code scheduled__2024-01-01T00:00:00+00:00}) matches it.
 *
 * <p>A run_id names a folder of the logs ({@code run_id=<id>}), so the rule keeps out what could
 * leave that folder or split it: slashes, spaces, control characters.
 */
public final class RunIdRule {
  public static final int MAX_LENGTH = 250;
  private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_.~:+-]{1," + MAX_LENGTH + "}");

  /** A run_id that breaks the rule; its message is the one-line error to show. */
  public static final class InvalidRunIdException extends UpdraftException {
    InvalidRunIdException(String message) {
      super(message);
    }
  }

  private RunIdRule() {}

  public static boolean isValid(String runId) {
    return runId != null && ALLOWED.matcher(runId).matches();
  }

  /** What is wrong with a run_id and how to fix it; empty when it is valid. */
  public static Optional<String> problem(String runId) {
    if (isValid(runId)) {
      return Optional.empty();
    }
    String fix =
        runId == null || runId.isEmpty()
            ? "give one"
            : runId.length() > MAX_LENGTH
                ? "shorten it"
                : "e.g. " + shown(runId.replaceAll("[^A-Za-z0-9_.~:+-]", "_"));
    return Optional.of(
        "run_id '"
            + shown(runId == null ? "" : runId)
            + "' is invalid: use 1 to "
            + MAX_LENGTH
            + " letters, digits, '_', '.', '~', ':', '+' or '-' (no spaces or slashes) — "
            + fix);
  }

  /**
   * Returns {@code runId} if it is valid.
   *
   * @throws InvalidRunIdException otherwise
   */
  public static String require(String runId) {
    Optional<String> problem = problem(runId);
    if (problem.isPresent()) {
      throw new InvalidRunIdException(problem.get());
    }
    return runId;
  }

  /** The id as it can be shown on one line: control characters escaped, a long one cut short. */
  private static String shown(String id) {
    StringBuilder b = new StringBuilder();
    id.codePoints()
        .limit(80)
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", c));
              } else {
                b.appendCodePoint(c);
              }
            });
    return id.codePointCount(0, id.length()) > 80 ? b + "…" : b.toString();
  }
}
