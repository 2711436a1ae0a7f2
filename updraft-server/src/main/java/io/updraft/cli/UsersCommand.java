package io.updraft.cli;

import io.updraft.UpdraftException;
import io.updraft.api.Passwords;
import io.updraft.api.Role;
import io.updraft.api.UserAccounts;
import io.updraft.store.Database;
import io.updraft.store.UserRow;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code updraft users create | list | delete | reset-password}: who may use the REST API. */
@Command(
    name = "users",
    description = "Create, list, delete users of the REST API and reset their passwords.",
    subcommands = {
      UsersCommand.Create.class,
      UsersCommand.ListUsers.class,
      UsersCommand.Delete.class,
      UsersCommand.ResetPassword.class
    })
final class UsersCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The password from stdin (its first line), or a random one to print once. */
  abstract static class WithPassword {
    @Option(
        names = "--password-stdin",
        description =
            "Read the password from the first line of stdin (default: a random one, printed"
                + " once).")
    boolean passwordStdin;

    String password() {
      if (!passwordStdin) {
        return Passwords.random();
      }
      try {
        String line =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (line == null || line.isEmpty()) {
          throw new UpdraftException(
              "--password-stdin: stdin had no password (pipe one in: echo \"$PW\" | updraft users"
                  + " ...)");
        }
        Passwords.requireAcceptable(line);
        return line;
      } catch (IOException e) {
        throw new UpdraftException("--password-stdin: cannot read stdin: " + e.getMessage());
      }
    }

    static void printGenerated(PrintWriter out, boolean fromStdin, String password) {
      if (!fromStdin) {
        out.println("password: " + password + "  (shown once: store it now)");
      }
    }
  }

  @Command(name = "create", description = "Create a user with a role.")
  static final class Create extends WithPassword implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "USERNAME", description = "The user's name.")
    String username;

    @Option(
        names = "--role",
        required = true,
        paramLabel = "ROLE",
        description = "viewer, user, op, admin or worker (SPEC §3 says what each may do).")
    String role;

    @Override
    public Integer call() {
      Role parsed = Role.parse(role);
      String password = password();
      try (Database db = Commands.openMigrated(spec)) {
        new UserAccounts(db)
            .create(
                username,
                parsed,
                password,
                System.getProperty("user.name"),
                Clock.systemUTC().instant());
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println("created user " + username + " (role " + parsed.id() + ")");
      printGenerated(out, passwordStdin, password);
      out.flush();
      return ExitCodes.OK;
    }
  }

  @Command(name = "list", description = "List the users and their roles.")
  static final class ListUsers implements Callable<Integer>, Commands.ReadOnly {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin OutputOption output;

    @Override
    public Integer call() {
      List<UserRow> users;
      try (Database db = Commands.openMigrated(spec)) {
        users = new UserAccounts(db).list();
      }
      List<Map<String, Object>> rows =
          users.stream()
              .map(
                  u -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("username", u.username());
                    row.put("role", u.role());
                    row.put("created_at", JsonOutput.instant(u.createdAt()));
                    row.put("changed_at", JsonOutput.instant(u.changedAt()));
                    row.put("failed_logins", u.failedLogins());
                    return row;
                  })
              .toList();
      Listing.print(
          spec.commandLine().getOut(),
          output.format,
          rows,
          "username",
          "role",
          "created_at",
          "failed_logins");
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "delete",
      description = "Delete a user; their tokens stop working when they expire.")
  static final class Delete implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "USERNAME", description = "The user's name.")
    String username;

    @Override
    public Integer call() {
      try (Database db = Commands.openMigrated(spec)) {
        new UserAccounts(db)
            .delete(username, System.getProperty("user.name"), Clock.systemUTC().instant());
      }
      spec.commandLine().getOut().println("deleted user " + username);
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "reset-password",
      description = "Give a user a new password (and clear their failed sign-ins).")
  static final class ResetPassword extends WithPassword implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "USERNAME", description = "The user's name.")
    String username;

    @Override
    public Integer call() {
      String password = password();
      try (Database db = Commands.openMigrated(spec)) {
        new UserAccounts(db)
            .resetPassword(
                username, password, System.getProperty("user.name"), Clock.systemUTC().instant());
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println("reset the password of " + username);
      printGenerated(out, passwordStdin, password);
      out.flush();
      return ExitCodes.OK;
    }
  }
}
