package io.updraft.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.UpdraftException;
import io.updraft.store.Database;
import picocli.CommandLine;

/** Small helpers shared by the subcommands. */
final class Commands {
  private Commands() {}

  /**
   * A command that only reads (a listing, a log, the configuration): a home that was given but does
   * not exist is an error, and nothing is created (decisions/0053).
   */
  interface ReadOnly {}

  /**
   * The settings of the root {@code updraft} command this subcommand runs under. For a {@link
   * ReadOnly} command, a given home must exist.
   */
  static Settings settings(CommandLine.Model.CommandSpec spec) {
    CommandLine root = spec.commandLine();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    Settings settings = ((UpdraftCommand) root.getCommand()).settings();
    if (spec.userObject() instanceof ReadOnly) {
      settings.requireHome();
    }
    return settings;
  }

  /**
   * Opens the configured database and checks its schema, so a fresh home says to run {@code db
   * migrate}; a one-line error otherwise. The home's embedded database is never created here.
   */
  static Database openMigrated(Settings settings) {
    Database db = settings.openExistingDatabase();
    try {
      db.check();
      return db;
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  static Database openMigrated(CommandLine.Model.CommandSpec spec) {
    return openMigrated(settings(spec));
  }

  /** A {@code --conf} value: a JSON object, returned in compact form; anything else is an error. */
  static String confJson(String text) {
    try {
      JsonNode node = new ObjectMapper().readTree(text);
      if (node == null || !node.isObject()) {
        throw new UpdraftException(
            "--conf must be a JSON object such as '{\"table\": \"orders\"}', not " + text);
      }
      return node.toString();
    } catch (JsonProcessingException e) {
      throw new UpdraftException(
          "--conf is not valid JSON ("
              + e.getOriginalMessage()
              + ") — write a JSON object such as '{\"table\": \"orders\"}'");
    }
  }
}
