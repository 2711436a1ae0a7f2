package io.updraft.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The API browser at {@code /docs} (SPEC §3): Swagger UI on {@code /openapi.json}, its files served
 * from the {@code org.webjars:swagger-ui} jar on the class path — no CDN, so it works offline and
 * loads nothing from elsewhere. The page needs no sign-in; the calls it makes do (its Authorize
 * button takes a token from {@code POST /auth/token}). Only the few files the page loads are
 * served, by name.
 */
final class ApiBrowser {
  private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";

  /** The files the page loads, with their content types. */
  private static final Map<String, String> FILES =
      Map.of(
          "swagger-ui.css", "text/css",
          "swagger-ui-bundle.js", "text/javascript",
          "swagger-ui-standalone-preset.js", "text/javascript",
          "favicon-32x32.png", "image/png",
          "favicon-16x16.png", "image/png");

  private static final String PAGE =
      """
      <!DOCTYPE html>
      <html lang="en">
        <head>
          <meta charset="UTF-8">
          <title>Updraft REST API</title>
          <link rel="stylesheet" type="text/css" href="/docs/swagger-ui.css">
          <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32">
          <link rel="icon" type="image/png" href="/docs/favicon-16x16.png" sizes="16x16">
        </head>
        <body>
          <div id="swagger-ui"></div>
          <script src="/docs/swagger-ui-bundle.js" charset="UTF-8"></script>
          <script src="/docs/swagger-ui-standalone-preset.js" charset="UTF-8"></script>
          <script src="/docs/swagger-initializer.js" charset="UTF-8"></script>
        </body>
      </html>
      """;

  /** The page's own script, a file rather than inline so a strict content policy allows it. */
  private static final String INITIALIZER =
      """
      window.onload = function () {
        window.ui = SwaggerUIBundle({
          url: "/openapi.json",
          dom_id: "#swagger-ui",
          deepLinking: true,
          persistAuthorization: false,
          presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
          layout: "StandaloneLayout"
        });
      };
      """;

  private ApiBrowser() {}

  static void register(RoutesConfig routes) {
    String version = version();
    routes.get("/docs", ctx -> ctx.contentType("text/html; charset=utf-8").result(PAGE));
    routes.get(
        "/docs/swagger-initializer.js",
        ctx -> ctx.contentType("text/javascript; charset=utf-8").result(INITIALIZER));
    routes.get("/docs/{file}", ctx -> file(ctx, version));
  }

  private static void file(Context ctx, String version) {
    String name = ctx.pathParam("file");
    String type = FILES.get(name);
    InputStream in =
        type == null
            ? null
            : ApiBrowser.class.getClassLoader().getResourceAsStream(WEBJAR + version + "/" + name);
    if (in == null) {
      throw ApiException.notFound("no such file of the API browser: /docs/" + name);
    }
    ctx.contentType(type).header("Cache-Control", "public, max-age=86400").result(in);
  }

  /** The Swagger UI version of the jar on the class path. */
  private static String version() {
    try (InputStream in =
        ApiBrowser.class
            .getClassLoader()
            .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException(
            "org.webjars:swagger-ui is not on the class path: the API browser cannot be served");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
