package io.updraft.store;

/** An empty database made for one test, dropped when closed. */
public record ScratchDatabase(DatabaseConfig config, AutoCloseable dropper)
    implements AutoCloseable {
  @Override
  public void close() throws Exception {
    dropper.close();
  }
}
