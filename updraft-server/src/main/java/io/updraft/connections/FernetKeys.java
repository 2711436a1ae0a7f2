package io.updraft.connections;

import io.updraft.UpdraftException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys of {@code core.fernet_key}: Airflow's MultiFernet. A comma-separated list encrypts with
 * its first key and decrypts with any, so a key is rotated by putting the new one first and running
 * {@code updraft connections rotate-key} (decisions/0060).
 *
 * <p>Where the key comes from: the setting ({@code UPDRAFT_CORE_FERNET_KEY} or {@code
 * updraft.yaml}), else the file {@value #FILE_NAME} in the home, which {@code db migrate} and
 * {@code standalone} create (mode 600) when neither exists. Without any key nothing secret can be
 * written, and a stored secret cannot be read: each is a one-line error naming the setting, never a
 * plain-text password or a silent empty one.
 */
public final class FernetKeys {
  /** The key file in the home, used when {@code core.fernet_key} is not set. */
  public static final String FILE_NAME = "fernet.key";

  private static final String SETTING = "core.fernet_key (UPDRAFT_CORE_FERNET_KEY)";

  private final List<Fernet> keys;
  private final String source;

  private FernetKeys(List<Fernet> keys, String source) {
    this.keys = List.copyOf(keys);
    this.source = source;
  }

  /** No key at all. */
  public static FernetKeys none() {
    return new FernetKeys(List.of(), "none");
  }

  /**
   * The keys of a comma-separated list; blanks between commas are ignored.
   *
   * @param source where the list came from, for error messages (never the keys themselves)
   * @throws UpdraftException naming the source when a key is malformed
   */
  public static FernetKeys parse(String commaSeparated, String source) {
    List<Fernet> keys = new ArrayList<>();
    String[] parts = commaSeparated == null ? new String[0] : commaSeparated.split(",");
    for (int i = 0; i < parts.length; i++) {
      if (parts[i].isBlank()) {
        continue;
      }
      try {
        keys.add(Fernet.of(parts[i]));
      } catch (IllegalArgumentException e) {
        throw new UpdraftException(
            "key "
                + (i + 1)
                + " of "
                + source
                + " is not valid: "
                + e.getMessage()
                + " — generate one with 'updraft connections generate-key'");
      }
    }
    return new FernetKeys(keys, source);
  }

  /**
   * The keys in effect: {@code configured} (the setting's value) when set, else the home's key
   * file, else none.
   */
  public static FernetKeys resolve(String configured, Path home) {
    if (configured != null && !configured.isBlank()) {
      return parse(configured, SETTING);
    }
    Path file = home.resolve(FILE_NAME);
    if (Files.isRegularFile(file)) {
      try {
        return parse(Files.readString(file, StandardCharsets.US_ASCII).strip(), file.toString());
      } catch (IOException e) {
        throw new UpdraftException(
            "cannot read the Fernet key file " + file + ": " + e.getMessage());
      }
    }
    return none();
  }

  /**
   * Creates the home's key file with a new key, readable by its owner only, unless {@code
   * configured} is set or the file exists. Returns the file when it was created.
   */
  public static java.util.Optional<Path> createKeyFile(String configured, Path home) {
    if (configured != null && !configured.isBlank()) {
      return java.util.Optional.empty();
    }
    Path file = home.resolve(FILE_NAME);
    if (Files.exists(file)) {
      return java.util.Optional.empty();
    }
    try {
      Files.createDirectories(home);
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(file); // not a POSIX file system: the folder's permissions protect it
      }
      Files.writeString(file, Fernet.generateKey() + "\n", StandardCharsets.US_ASCII);
      return java.util.Optional.of(file);
    } catch (FileAlreadyExistsException e) {
      return java.util.Optional.empty(); // another process made it first: use theirs
    } catch (IOException e) {
      throw new UpdraftException(
          "cannot create the Fernet key file " + file + ": " + e.getMessage());
    }
  }

  public boolean present() {
    return !keys.isEmpty();
  }

  /** How many keys the list holds. */
  public int size() {
    return keys.size();
  }

  /**
   * Encrypts with the first key.
   *
   * @param what the value, for the error ("the password of connection 'db'")
   * @throws UpdraftException when there is no key
   */
  public String encrypt(String plain, String what) {
    if (keys.isEmpty()) {
      throw new UpdraftException(
          "cannot store "
              + what
              + " encrypted: no Fernet key is set — set "
              + SETTING
              + " or run 'updraft db migrate' to create "
              + FILE_NAME
              + " in the home");
    }
    return keys.get(0).encrypt(plain.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Decrypts with whichever key made the token.
   *
   * @throws UpdraftException when there is no key or none of the keys made it
   */
  public String decrypt(String token, String what) {
    if (keys.isEmpty()) {
      throw new UpdraftException(
          what
              + " is stored encrypted but no Fernet key is set — set "
              + SETTING
              + " to the key it was stored with (or put it in the home's "
              + FILE_NAME
              + ")");
    }
    for (Fernet key : keys) {
      try {
        return new String(key.decrypt(token), StandardCharsets.UTF_8);
      } catch (Fernet.InvalidTokenException e) {
        // try the next key
      }
    }
    throw new UpdraftException(
        "cannot decrypt "
            + what
            + " with the key"
            + (keys.size() == 1 ? "" : "s")
            + " of "
            + source
            + ": it was stored with another key — add that key to "
            + SETTING
            + " after the new one (comma-separated), then run 'updraft connections rotate-key'");
  }

  /** Whether the first key made this token: rotation skips values already under it. */
  public boolean isCurrent(String token) {
    if (keys.isEmpty()) {
      return false;
    }
    try {
      keys.get(0).decrypt(token);
      return true;
    } catch (Fernet.InvalidTokenException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "FernetKeys[" + keys.size() + " from " + source + "]";
  }
}
