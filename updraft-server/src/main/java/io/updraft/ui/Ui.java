package io.updraft.ui;

import io.updraft.api.SignIn;
import io.updraft.connections.FernetKeys;
import io.updraft.scheduler.DagTags;
import io.updraft.scheduler.DagVersions;
import io.updraft.store.Database;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What the pages use: the metadata database, the server's clock, sign-in and sessions, the parsed
 * DAG versions (cached by hash), every DAG's tags, and the server's {@link WebUi.Files}.
 */
record Ui(
    Database db,
    Clock clock,
    SignIn signIn,
    Sessions sessions,
    DagVersions versions,
    DagTags tags,
    WebUi.Files files) {

  Path dagsFolder() {
    return files.dagsFolder();
  }

  Path logsFolder() {
    return files.logsFolder();
  }

  FernetKeys fernetKeys() {
    return files.fernetKeys();
  }
}
