/**
 * Reading the logs of tries, shared by the CLI ({@code updraft tasks logs}) and the web UI: the
 * whole log or its tail copied as bytes, a log followed while its try runs, a piece read from a
 * byte offset, and the rule that says when a try has ended.
 */
package io.updraft.logs;
