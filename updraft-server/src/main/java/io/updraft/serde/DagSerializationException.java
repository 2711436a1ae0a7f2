package io.updraft.serde;

import io.updraft.UpdraftException;

/**
 * A DAG could not be written as canonical JSON (a value JSON cannot hold), or a serialized DAG
 * could not be read (not JSON, wrong shape, a format version this Updraft does not know).
 */
public class DagSerializationException extends UpdraftException {
  public DagSerializationException(String message) {
    super(message);
  }

  public DagSerializationException(String message, Throwable cause) {
    super(message, cause);
  }
}
