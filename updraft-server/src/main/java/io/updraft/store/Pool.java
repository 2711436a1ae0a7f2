package io.updraft.store;

/**
 * A pool: a named number of slots that running tasks take. Validated on construction.
 *
 * @param name 1 to 256 characters
 * @param slots -1 for unlimited, else 0 or more
 * @param description may be null
 * @param includeDeferred whether deferred tasks take slots (Airflow's {@code include_deferred})
 */
public record Pool(String name, int slots, String description, boolean includeDeferred) {
  /** Where tasks without a pool run; it always exists. */
  public static final String DEFAULT_POOL = "default_pool";

  public static final int UNLIMITED = -1;
  public static final int MAX_NAME_LENGTH = 256;

  public Pool {
    if (name == null || name.isBlank()) {
      throw new InvalidPoolException("a pool needs a name");
    }
    if (name.length() > MAX_NAME_LENGTH) {
      throw new InvalidPoolException(
          "pool name '"
              + name.substring(0, 40)
              + "...' is "
              + name.length()
              + " characters long: at most "
              + MAX_NAME_LENGTH);
    }
    if (slots < UNLIMITED) {
      throw new InvalidPoolException(
          "pool '" + name + "' has " + slots + " slots: use 0 or more, or -1 for unlimited");
    }
  }

  public boolean unlimited() {
    return slots == UNLIMITED;
  }
}
