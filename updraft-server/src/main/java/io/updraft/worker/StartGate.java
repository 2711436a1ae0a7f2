package io.updraft.worker;

/**
 * Asked right before a try starts its process (or its in-JVM operator): is the try still this
 * worker's? A try claimed by a worker too loaded to start it within the heartbeat timeout may have
 * been failed meanwhile and its retry started elsewhere; it must then not start at all
 * (decisions/0172). The executors confirm with a heartbeat guarded by the try number, unless their
 * last confirmation is younger than one heartbeat interval.
 */
@FunctionalInterface
public interface StartGate {

  /** Null: start; otherwise why the try must not start (it then ends cancelled, unstarted). */
  Cancellation confirm();

  /** Always starts: a try no one else can take over ({@code tasks test}, unit tests). */
  static StartGate open() {
    return () -> null;
  }
}
