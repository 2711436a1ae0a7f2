package io.updraft.worker;

/**
 * How a process of a try ended.
 *
 * @param exitCode the exit code; for a killed process the JVM's value (128 + signal)
 * @param lastStdoutLine the last stdout line that was not blank, right-trimmed; null if none
 * @param ending whether it exited by itself, timed out or was cancelled
 */
public record ProcessResult(int exitCode, String lastStdoutLine, Ending ending) {

  public enum Ending {
    EXITED,
    TIMED_OUT,
    CANCELLED
  }
}
