package io.updraft.worker;

/**
 * How a process of a try ended.
 *
 * @param exitCode the exit code; for a killed process the JVM's value (128 + signal)
 * @param lastStdoutLine the last stdout line that was not blank, right-trimmed, with its size; its
 *     text is null when there was none or when it was longer than the XCom size limit
 * @param ending whether it exited by itself, timed out or was cancelled
 */
record ProcessResult(int exitCode, LastLine.Value lastStdoutLine, Ending ending) {

  enum Ending {
    EXITED,
    TIMED_OUT,
    CANCELLED
  }
}
