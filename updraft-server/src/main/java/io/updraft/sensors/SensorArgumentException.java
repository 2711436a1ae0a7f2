package io.updraft.sensors;

import io.updraft.UpdraftException;

/** A sensor's rendered arguments cannot be used: one line naming the key and what to fix. */
public final class SensorArgumentException extends UpdraftException {
  public SensorArgumentException(String message) {
    super(message);
  }
}
