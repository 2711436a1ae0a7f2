package io.updraft.api;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

/**
 * {@code standalone}'s first user (SPEC §2.3): on the first start, {@code admin} with a random
 * password, printed once and written to {@code $UPDRAFT_HOME/standalone_admin_password.txt}, mode
 * 600. Later starts find the user and only say where the file is; a deleted file is not written
 * again (the password lives only as a hash), so {@code users reset-password admin} is the way back.
 */
public final class StandaloneAdmin {
  public static final String USERNAME = "admin";
  public static final String FILE = "standalone_admin_password.txt";

  private StandaloneAdmin() {}

  public static void ensure(UserAccounts accounts, Path home, PrintWriter out, Instant now) {
    Path file = home.resolve(FILE);
    if (accounts.exists(USERNAME)) {
      out.println(
          "  sign in:   as "
              + USERNAME
              + (Files.exists(file)
                  ? " with the password in " + file
                  : " (reset its password with 'updraft users reset-password " + USERNAME + "')"));
      return;
    }
    String password = Passwords.random();
    write(file, password);
    accounts.create(USERNAME, Role.ADMIN, password, "standalone", now);
    out.println("  sign in:   as " + USERNAME + " with the password " + password);
    out.println("             (shown once; it is also in " + file + ", mode 600)");
  }

  private static void write(Path file, String password) {
    try {
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(file);
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        Files.createFile(file);
      }
      Files.writeString(file, password + "\n", StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
