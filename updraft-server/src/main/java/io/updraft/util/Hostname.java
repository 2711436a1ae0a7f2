package io.updraft.util;

import java.io.IOException;
import java.net.InetAddress;

/** This machine's name, as jobs and tries record it ({@code hostname} columns). */
public final class Hostname {
  private Hostname() {}

  /** The local host's name, or {@code localhost} when it cannot be resolved. */
  public static String ofThisMachine() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
