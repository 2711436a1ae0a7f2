package io.updraft.ui;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.updraft.api.ApiException;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The UI's own files ({@code /static/...}) and its WebJars' ({@code /webjars/...}), read from the
 * class path with the class loader, as the API browser's are. Not Javalin's static-file handlers:
 * those have Jetty mount the jar holding the files as a zip file system, each mount an index of all
 * its entries on the heap — 8 mounts of Updraft's 28,000-entry jar held ~70 MB of a standalone's
 * ~100 MB live heap for the life of the process (decisions/0171).
 */
final class UiAssets {
  private static final String STATIC = "io/updraft/ui/static/";
  private static final String WEBJARS = "META-INF/resources/webjars/";

  /** Path segments of letters, digits, '.', '_' and '-', none starting with '.'. */
  private static final Pattern SAFE =
      Pattern.compile("([A-Za-z0-9_-][A-Za-z0-9._-]*/)*[A-Za-z0-9_-][A-Za-z0-9._-]*");

  private static final Map<String, String> TYPES =
      Map.of(
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "map", "application/json",
          "png", "image/png",
          "svg", "image/svg+xml");

  private UiAssets() {}

  static void register(JavalinConfig config) {
    // the UI's files change with Updraft: cached briefly; a WebJar's path names its version
    config.routes.addHttpHandler(
        HandlerType.GET, "/static/<path>", ctx -> serve(ctx, STATIC, "max-age=300"));
    config.routes.addHttpHandler(
        HandlerType.GET, "/webjars/<path>", ctx -> serve(ctx, WEBJARS, "max-age=31622400"));
  }

  private static void serve(Context ctx, String folder, String cache) {
    String path = ctx.pathParam("path");
    String type = SAFE.matcher(path).matches() ? TYPES.get(extension(path)) : null;
    InputStream in =
        type == null ? null : UiAssets.class.getClassLoader().getResourceAsStream(folder + path);
    if (in == null) {
      throw ApiException.notFound("no such file: " + ctx.path());
    }
    ctx.contentType(type).header("Cache-Control", cache).result(in);
  }

  private static String extension(String path) {
    int dot = path.lastIndexOf('.');
    return dot < 0 ? "" : path.substring(dot + 1);
  }
}
