package io.updraft.bench;

/**
 * Marks the measured part of a run, so that a flight recording (--jfr) holds that part only and not
 * the set-up around it. A workload opens it right before what it measures and closes it right
 * after.
 */
public interface Window {
  void open();

  void close();

  /** A window that records nothing: warm-up runs, and runs without --jfr. */
  Window NONE =
      new Window() {
        @Override
        public void open() {}

        @Override
        public void close() {}
      };
}
