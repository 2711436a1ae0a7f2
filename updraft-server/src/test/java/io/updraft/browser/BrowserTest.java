package io.updraft.browser;

import io.updraft.cli.StandaloneServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A browser test: the run's real {@code standalone} ({@link SharedStandalone}: API, web UI,
 * scheduler, local executor, DAG processor; H2) and one headless Chromium per test class ({@link
 * Browser}: skipped when there is none). Users: {@code admin} (standalone's), {@code vera} (Viewer)
 * and {@code uma} (User), the last two with {@link #PASSWORD}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedStandalone.Extension.class)
abstract class BrowserTest {
  static final String VIEWER = SharedStandalone.VIEWER;
  static final String USER = SharedStandalone.USER;
  static final String PASSWORD = SharedStandalone.PASSWORD;
  static final String DEMO = "ui_demo";

  StandaloneServer server;
  WebDriver driver;

  @BeforeAll
  void startBrowser(StandaloneServer standalone) {
    server = standalone;
    driver = Browser.require().start();
  }

  @AfterAll
  void stopBrowser() {
    if (driver != null) {
      driver.quit();
    }
  }

  /** Opens a page of the server by its path. */
  void open(String path) {
    driver.get(server.baseUrl() + path);
  }

  /** Signs out (if signed in) and in again as {@code user}; ends on the DAG list. */
  void signIn(String user, String password) {
    open("/login");
    driver.manage().deleteAllCookies();
    open("/login");
    find("input[name=username]").sendKeys(user);
    find("input[name=password]").sendKeys(password);
    find("form button[type=submit]").click();
    try {
      waitUpTo(Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("/dags"));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError(
          "signing in as " + user + " failed: " + find("main, body").getText(), e);
    }
  }

  void signInAsAdmin() {
    signIn("admin", server.adminPassword());
  }

  WebDriverWait waitUpTo(Duration d) {
    return new WebDriverWait(driver, d, Duration.ofMillis(20));
  }

  /**
   * The first element {@code css} selects, waiting up to 10 s for it: a click on a form's submit
   * button returns before the next page is loaded.
   */
  WebElement find(String css) {
    return waitUpTo(Duration.ofSeconds(10))
        .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
  }
}
