package io.updraft.ui;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The UI's HTML templates ({@code src/main/resources/io/updraft/ui/templates/*.peb}), rendered by
 * Pebble with every value HTML-escaped unless a template says otherwise, and undefined names an
 * error rather than an empty string. Templates are parsed once and cached.
 */
final class Templates {
  private final PebbleEngine engine;

  Templates() {
    ClasspathLoader loader = new ClasspathLoader(Templates.class.getClassLoader());
    loader.setPrefix("io/updraft/ui/templates");
    loader.setSuffix(".peb");
    this.engine =
        new PebbleEngine.Builder()
            .loader(loader)
            .autoEscaping(true)
            .defaultEscapingStrategy("html")
            .strictVariables(true)
            .newLineTrimming(false)
            .build();
  }

  String render(String template, Map<String, Object> model) {
    StringWriter out = new StringWriter(8192);
    try {
      engine.getTemplate(template).evaluate(out, model);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
