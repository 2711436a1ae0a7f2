package io.updraft.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The headless Chromium the browser tests drive, found on this machine only: Debian's {@code
 * chromium} and {@code chromium-driver} ({@code /usr/bin/chromium}, {@code /usr/bin/chromedriver}),
 * or the paths in {@code UPDRAFT_CHROMIUM} and {@code UPDRAFT_CHROMEDRIVER}. Selenium Manager never
 * runs (both paths are given), so nothing is downloaded.
 *
 * <p>When either is missing the tests are skipped, saying so on stdout, except under CI ({@code
 * CI=true}), where they fail so the missing browser is noticed; {@code UPDRAFT_BROWSER_TESTS=skip}
 * skips them anyway, {@code UPDRAFT_BROWSER_TESTS=require} fails anywhere (decisions/0125).
 */
public final class Browser {
  static final int WIDTH = 1280;
  static final int HEIGHT = 800;

  private static final List<String> CHROMIUM =
      List.of(
          "/usr/bin/chromium",
          "/usr/bin/chromium-browser",
          "/usr/bin/google-chrome",
          "/usr/bin/google-chrome-stable");
  private static final List<String> CHROMEDRIVER =
      List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

  private Browser() {}

  /** The browser and its driver, or a test abort (skip) or failure saying what is missing. */
  static Found require() {
    Optional<Path> chromium = find("UPDRAFT_CHROMIUM", CHROMIUM);
    Optional<Path> driver = find("UPDRAFT_CHROMEDRIVER", CHROMEDRIVER);
    String mode = System.getenv().getOrDefault("UPDRAFT_BROWSER_TESTS", "");
    if (mode.equals("skip")) {
      say("Browser tests skipped: UPDRAFT_BROWSER_TESTS=skip");
      Assumptions.abort("UPDRAFT_BROWSER_TESTS=skip");
    }
    if (chromium.isPresent() && driver.isPresent()) {
      return new Found(chromium.get(), driver.get());
    }
    List<String> missing = new ArrayList<>();
    if (chromium.isEmpty()) {
      missing.add("chromium (looked for $UPDRAFT_CHROMIUM, " + String.join(", ", CHROMIUM) + ")");
    }
    if (driver.isEmpty()) {
      missing.add(
          "chromedriver (looked for $UPDRAFT_CHROMEDRIVER, "
              + String.join(", ", CHROMEDRIVER)
              + ")");
    }
    String why =
        "no "
            + String.join(" and no ", missing)
            + ": install them with 'apt-get install chromium chromium-driver'";
    boolean required =
        mode.equals("require") || "true".equalsIgnoreCase(System.getenv().getOrDefault("CI", ""));
    if (required) {
      return Assertions.fail(
          "Browser tests cannot run under CI: "
              + why
              + " (or set UPDRAFT_BROWSER_TESTS=skip to skip them)");
    }
    say("Browser tests skipped: " + why);
    return Assumptions.abort(why);
  }

  private static Optional<Path> find(String env, List<String> candidates) {
    String given = System.getenv(env);
    if (given != null && !given.isBlank()) {
      Path p = Path.of(given);
      return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    return candidates.stream().map(Path::of).filter(Files::isExecutable).findFirst();
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }

  /** A found browser and driver. */
  record Found(Path chromium, Path chromedriver) {
    /** A new headless session in a 1280×800 window. */
    ChromeDriver start() {
      ChromeOptions options = new ChromeOptions();
      options.setBinary(chromium.toFile());
      options.addArguments(
          "--headless=new",
          "--no-sandbox", // root in a container has no user namespace for the sandbox
          "--disable-dev-shm-usage",
          "--disable-gpu",
          "--disable-extensions",
          "--no-first-run",
          "--hide-scrollbars",
          "--force-device-scale-factor=1",
          "--window-size=" + WIDTH + "," + HEIGHT);
      ChromeDriverService service =
          new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile()).build();
      ChromeDriver driver = new ChromeDriver(service, options);
      driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
      // the window's size includes what the browser draws around the page: make the page 1280×800
      @SuppressWarnings("unchecked")
      java.util.List<Number> inner =
          (java.util.List<Number>)
              driver.executeScript("return [window.innerWidth, window.innerHeight];");
      Dimension outer = driver.manage().window().getSize();
      driver
          .manage()
          .window()
          .setSize(
              new Dimension(
                  outer.width + WIDTH - inner.get(0).intValue(),
                  outer.height + HEIGHT - inner.get(1).intValue()));
      return driver;
    }
  }
}
