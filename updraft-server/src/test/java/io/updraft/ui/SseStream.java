package io.updraft.ui;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A browser's end of {@code /ui/events}, read with java.net.http: the data of each {@code states}
 * event, in order.
 */
final class SseStream implements AutoCloseable {
  private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
  private final HttpResponse<Stream<String>> response;
  final int status;

  SseStream(HttpClient http, String url, String cookie) throws Exception {
    response =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Cookie", cookie)
                .header("Accept", "text/event-stream")
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    status = response.statusCode();
    Thread.ofVirtual()
        .start(
            () -> {
              String event = "message";
              StringBuilder data = new StringBuilder();
              try {
                for (String line : (Iterable<String>) response.body()::iterator) {
                  if (line.isEmpty()) {
                    if (event.equals("states") && !data.isEmpty()) {
                      events.add(data.toString());
                    }
                    event = "message";
                    data.setLength(0);
                  } else if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                  } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                  }
                }
              } catch (RuntimeException e) {
                // closed
              }
            });
  }

  /** The next {@code states} event's data, or null if none comes within {@code wait}. */
  String next(Duration wait) throws InterruptedException {
    return events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    response.body().close();
  }
}
