package io.updraft.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** In a real browser: signing in, a wrong password, the DAG list with the examples' DAGs. */
class SignInAndDagListBrowserTest extends BrowserTest {
  @Test
  void aSignedOutBrowserSignsInAndComesBackToThePageItAskedFor() {
    driver.manage().deleteAllCookies();
    open("/dags?tags=example");
    assertThat(driver.getCurrentUrl()).contains("/login?next=");
    find("input[name=username]").sendKeys(VIEWER);
    find("input[name=password]").sendKeys(PASSWORD);
    find("form button[type=submit]").click();
    waitUpTo(java.time.Duration.ofSeconds(10))
        .until(d -> d.getCurrentUrl().endsWith("/dags?tags=example"));
    assertThat(find("#dags").getText()).contains("ui_demo");
  }

  @Test
  void aWrongPasswordIsRefusedOnTheSignInPage() {
    driver.manage().deleteAllCookies();
    open("/login");
    find("input[name=username]").sendKeys(VIEWER);
    find("input[name=password]").sendKeys("not-the-password");
    find("form button[type=submit]").click();
    assertThat(find("[role=alert]").getText()).contains("wrong username or password");
    assertThat(driver.manage().getCookieNamed("updraft_session")).isNull();
  }

  @Test
  void theDagListShowsEveryDagOfTheFolder() {
    signIn(VIEWER, PASSWORD);
    List<String> ids =
        find("#dags").findElements(By.cssSelector("tbody tr td:first-child a")).stream()
            .map(WebElement::getText)
            .toList();
    assertThat(ids)
        .contains("ui_demo", "orders_daily", "manual_cleanup", "warehouse_export")
        .doesNotHaveDuplicates();
    // the session cookie is out of the page's scripts' reach
    assertThat(driver.manage().getCookieNamed("updraft_session").isHttpOnly()).isTrue();
  }
}
