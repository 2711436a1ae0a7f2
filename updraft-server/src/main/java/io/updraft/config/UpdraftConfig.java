package io.updraft.config;

import io.updraft.UpdraftException;
import io.updraft.dag.Suggestions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Updraft's configuration: every {@link ConfigKey} with its value and where the value came from.
 * Later sources win: the default, then {@code $UPDRAFT_HOME/updraft.yaml} ({@code core:
 * {parallelism: 8}}), then the environment ({@code UPDRAFT_CORE_PARALLELISM=8}), then a
 * command-line option. Validated when loaded — a bad value or an unknown key is one clear error —
 * and immutable after.
 */
public final class UpdraftConfig {
  public static final String FILE_NAME = "updraft.yaml";

  /** A value and its source: {@code default}, the file's path, the variable's name or an option. */
  public record Value(Object value, String source) {}

  private final Path home;
  private final Map<ConfigKey, Value> values;

  private UpdraftConfig(Path home, Map<ConfigKey, Value> values) {
    this.home = home;
    this.values = values;
  }

  /**
   * Loads the configuration of a home folder.
   *
   * @param overrides values given as command-line options (text), by key; they win over all else
   * @throws UpdraftException naming the file or variable and the key when a value is bad
   */
  public static UpdraftConfig load(
      Path home, Map<String, String> env, Map<ConfigKey, String> overrides) {
    Map<ConfigKey, Value> values = new LinkedHashMap<>();
    for (ConfigKey k : ConfigKey.ALL) {
      values.put(k, new Value(k.defaultValue(), "default"));
    }
    Path file = home.resolve(FILE_NAME);
    if (Files.isRegularFile(file)) {
      readFile(file).forEach((k, text) -> values.put(k, parse(k, text, file.toString())));
    }
    for (ConfigKey k : ConfigKey.ALL) {
      String text = env.get(k.env());
      if (text != null && !text.isBlank()) {
        values.put(k, parse(k, text, "environment variable " + k.env()));
      }
    }
    overrides.forEach((k, text) -> values.put(k, parse(k, text, "option")));
    if (values.get(ConfigKey.DAGS_FOLDER).value() == null) {
      values.put(ConfigKey.DAGS_FOLDER, new Value(home.resolve("dags"), "default"));
    }
    return new UpdraftConfig(home, Map.copyOf(values));
  }

  private static Value parse(ConfigKey k, String text, String source) {
    Object v =
        k.kind()
            .parse(text)
            .orElseThrow(
                () ->
                    new UpdraftException(
                        k.name()
                            + " = '"
                            + text
                            + "' from "
                            + source
                            + " is not valid — use "
                            + k.kind().expected()));
    return new Value(v, source);
  }

  /** The keys and texts of a config file; unknown sections and keys are errors. */
  private static Map<ConfigKey, String> readFile(Path file) {
    Object doc;
    try {
      doc = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
    } catch (IOException | YamlEngineException e) {
      throw new UpdraftException(
          "cannot read " + file + ": " + firstLine(e.getMessage()) + " — fix or remove the file");
    }
    Map<ConfigKey, String> found = new LinkedHashMap<>();
    if (doc == null) {
      return found;
    }
    if (!(doc instanceof Map<?, ?> sections)) {
      throw new UpdraftException(
          file + " must be a map of sections (core:, scheduler:, ...) — see 'updraft config list'");
    }
    List<String> names = ConfigKey.ALL.stream().map(ConfigKey::name).toList();
    for (Map.Entry<?, ?> section : sections.entrySet()) {
      if (!(section.getValue() instanceof Map<?, ?> keys)) {
        throw new UpdraftException(
            file
                + ": section '"
                + section.getKey()
                + "' must be a map of keys, e.g. "
                + section.getKey()
                + ": {key: value}");
      }
      for (Map.Entry<?, ?> e : keys.entrySet()) {
        String name = section.getKey() + "." + e.getKey();
        ConfigKey key =
            ConfigKey.ALL.stream()
                .filter(k -> k.name().equals(name))
                .findFirst()
                .orElseThrow(
                    () ->
                        new UpdraftException(
                            file
                                + ": unknown setting '"
                                + name
                                + "'"
                                + Suggestions.didYouMean(name, names, " — ")
                                + " (see 'updraft config list')"));
        found.put(key, e.getValue() == null ? "" : e.getValue().toString());
      }
    }
    return found;
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }

  public Path home() {
    return home;
  }

  public Value get(ConfigKey key) {
    return values.get(key);
  }

  public boolean bool(ConfigKey key) {
    return (Boolean) require(key, ConfigKey.Kind.BOOLEAN);
  }

  public int integer(ConfigKey key) {
    return (Integer) require(key, ConfigKey.Kind.POSITIVE_INT);
  }

  /** A size in bytes ({@link ConfigKey.Kind#BYTES}). */
  public int bytes(ConfigKey key) {
    return (Integer) require(key, ConfigKey.Kind.BYTES);
  }

  public String text(ConfigKey key) {
    return (String) require(key, ConfigKey.Kind.TEXT);
  }

  /** {@code core.executor}'s value: local, remote or kubernetes. */
  public String executor() {
    return (String) require(ConfigKey.EXECUTOR, ConfigKey.Kind.EXECUTOR);
  }

  public Duration duration(ConfigKey key) {
    return (Duration) require(key, ConfigKey.Kind.DURATION);
  }

  public Path dagsFolder() {
    return ((Path) values.get(ConfigKey.DAGS_FOLDER).value()).toAbsolutePath().normalize();
  }

  /** The database URL set by file, environment or option; null means the embedded default. */
  public String dbUrl() {
    return (String) values.get(ConfigKey.DB_URL).value();
  }

  private Object require(ConfigKey key, ConfigKey.Kind kind) {
    if (key.kind() != kind) {
      throw new IllegalArgumentException(key.name() + " is a " + key.kind() + ", not " + kind);
    }
    return values.get(key).value();
  }

  /** Every setting in {@link ConfigKey#ALL} order. */
  public List<Map.Entry<ConfigKey, Value>> entries() {
    List<Map.Entry<ConfigKey, Value>> list = new ArrayList<>();
    ConfigKey.ALL.forEach(k -> list.add(Map.entry(k, values.get(k))));
    return list;
  }
}
