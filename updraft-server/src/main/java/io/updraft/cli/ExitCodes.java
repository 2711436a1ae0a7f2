package io.updraft.cli;

/** The exit codes of SPEC §2: scripts rely on them. */
final class ExitCodes {
  static final int OK = 0;
  static final int FAILED_RUN = 1;
  static final int BAD_INPUT = 2;

  private ExitCodes() {}
}
