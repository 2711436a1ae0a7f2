package io.updraft.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * An HTTP server on loopback in the bench's JVM that answers every request with a small JSON body
 * (200), on virtual threads: what the {@code http} operator's workloads call.
 */
final class PingServer implements AutoCloseable {
  private static final byte[] BODY = "{\"ok\": true}".getBytes(StandardCharsets.UTF_8);

  private final HttpServer server;

  private PingServer(HttpServer server) {
    this.server = server;
  }

  static PingServer start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          ex.sendResponseHeaders(200, BODY.length);
          ex.getResponseBody().write(BODY);
          ex.close();
        });
    server.start();
    return new PingServer(server);
  }

  /** The URL of its {@code /ping}. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/ping";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
