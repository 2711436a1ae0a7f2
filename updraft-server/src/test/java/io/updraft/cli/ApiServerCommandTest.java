package io.updraft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code updraft api-server}'s bad input: one line, exit 2, before anything listens. */
class ApiServerCommandTest {
  @TempDir Path home;

  private CliRun run(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--home";
    all[1] = home.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return CliRun.of(all);
  }

  @Test
  void aPortInUseOrAnAddressNotOfThisMachineIsOneLine() throws Exception {
    assertThat(run("db", "migrate").exitCode()).isZero();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CliRun r = run("api-server", "--port", Integer.toString(taken.getLocalPort()));
      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.err().strip())
          .startsWith("updraft: the API server cannot listen on 127.0.0.1:")
          .contains("another server uses the port: choose another with --port")
          .doesNotContain("\n");
    }
    CliRun host = run("api-server", "--host", "no-such-host.invalid", "--port", "0");
    assertThat(host.exitCode()).isEqualTo(2);
    assertThat(host.err()).contains("--host must be an address of this machine");
    CliRun port = run("api-server", "--port", "70000");
    assertThat(port.exitCode()).isEqualTo(2);
    assertThat(port.err()).contains("--port must be 0 to 65535, not 70000");
  }

  @Test
  void aDatabaseNotMigratedSaysSo() {
    CliRun r = run("api-server", "--port", "0");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("db migrate");
  }
}
