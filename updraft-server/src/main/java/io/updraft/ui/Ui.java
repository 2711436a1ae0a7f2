package io.updraft.ui;

import io.updraft.api.SignIn;
import io.updraft.scheduler.DagVersions;
import io.updraft.store.Database;
import java.time.Clock;

/**
 * What the pages use: the metadata database, the server's clock, sign-in and sessions, the parsed
 * DAG versions (cached by hash) and every DAG's tags.
 */
record Ui(
    Database db,
    Clock clock,
    SignIn signIn,
    Sessions sessions,
    DagVersions versions,
    DagTags tags) {}
