package io.updraft.store;

/** An empty database made for one test, dropped when closed. */
record ScratchDatabase(DatabaseConfig config, AutoCloseable dropper) implements AutoCloseable {
  @Override
  public void close() throws Exception {
    dropper.close();
  }
}
