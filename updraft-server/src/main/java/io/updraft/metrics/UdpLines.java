package io.updraft.metrics;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each StatsD line as one UDP datagram, at once, as Airflow's StatsD client does.
 * Micrometer's own UDP publisher drops lines that come in a burst (micrometer#2908: a task's end
 * and its run's end, recorded together, lost one of them); a plain send on the calling thread loses
 * none on the way out. A failed send is counted and logged once: metrics never fail the work they
 * measure.
 */
final class UdpLines implements Consumer<String>, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UdpLines.class);

  private final DatagramChannel channel;
  private final InetSocketAddress target;
  private volatile boolean warned;

  UdpLines(String host, int port) {
    this.target = new InetSocketAddress(host, port);
    try {
      this.channel = DatagramChannel.open();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot open a UDP socket for StatsD", e);
    }
    if (target.isUnresolved()) {
      log.warn("metrics: the StatsD host '{}' does not resolve; nothing will be sent", host);
    }
  }

  @Override
  public void accept(String line) {
    try {
      channel.send(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)), target);
    } catch (IOException | RuntimeException e) {
      if (!warned) {
        warned = true;
        log.warn("metrics: sending to StatsD at {} failed ({}); going on", target, e.toString());
      }
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("closing the StatsD socket: {}", e.toString());
    }
  }
}
