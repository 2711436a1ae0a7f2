package io.updraft.dagproc;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls back on any change under a folder, sub-folders included (new ones are watched as they
 * appear). It says only that something changed: the processor's scan finds out what, so a missed or
 * coalesced event costs nothing but latency until the next refresh.
 */
final class FolderWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FolderWatcher.class);

  private final WatchService service;
  private final Thread thread;

  private FolderWatcher(WatchService service, Path root, Runnable onChange) {
    this.service = service;
    this.thread =
        Thread.ofPlatform().name("dags-folder-watch").daemon().start(() -> watch(root, onChange));
  }

  /**
   * Watches {@code root}; if the platform cannot, logs why and returns a watcher that never calls.
   */
  static FolderWatcher start(Path root, Runnable onChange) {
    try {
      WatchService service = FileSystems.getDefault().newWatchService();
      registerTree(service, root);
      return new FolderWatcher(service, root, onChange);
    } catch (IOException e) {
      log.warn("cannot watch {} ({}); changes are seen at the next refresh", root, e.toString());
      return new FolderWatcher(null, root, () -> {});
    }
  }

  private void watch(Path root, Runnable onChange) {
    if (service == null) {
      return;
    }
    try {
      while (true) {
        WatchKey key = service.take();
        Path dir = (Path) key.watchable();
        for (WatchEvent<?> event : key.pollEvents()) {
          if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE
              && event.context() instanceof Path name
              && Files.isDirectory(dir.resolve(name))) {
            registerTree(service, dir.resolve(name));
          }
        }
        key.reset();
        onChange.run();
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closing
    } catch (IOException e) {
      log.warn("stopped watching {} ({}); changes are seen at each refresh", root, e.toString());
    }
  }

  private static void registerTree(WatchService service, Path root) throws IOException {
    try (Stream<Path> dirs = Files.walk(root)) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        dir.register(
            service,
            StandardWatchEventKinds.ENTRY_CREATE,
            StandardWatchEventKinds.ENTRY_MODIFY,
            StandardWatchEventKinds.ENTRY_DELETE);
      }
    }
  }

  @Override
  public void close() {
    if (service != null) {
      try {
        service.close();
      } catch (IOException e) {
        log.debug("closing the watch service: {}", e.toString());
      }
    }
    thread.interrupt();
  }
}
