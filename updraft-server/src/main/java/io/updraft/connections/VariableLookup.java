package io.updraft.connections;

import java.util.Optional;

/**
 * Finds a variable by key for a try: the {@code UPDRAFT_VAR_<KEY>} environment variable first, then
 * the {@code variable} table (SPEC §1.7).
 */
@FunctionalInterface
public interface VariableLookup {

  /** The variable's value (a string; JSON allowed), or empty when no source has it. */
  Optional<String> find(String key);

  /** A lookup that finds nothing. */
  static VariableLookup none() {
    return key -> Optional.empty();
  }
}
