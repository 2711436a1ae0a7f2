package io.updraft.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;

/** A Viewer reads but cannot act: no action buttons on the pages, a forged POST is refused. */
class ViewerBrowserTest extends BrowserTest {
  static final List<String> ACTIONS =
      List.of("Trigger", "Clear", "Mark success", "Mark failed", "Delete run", "Pause", "Unpause");

  @Test
  void aViewerSeesNoActionOnTheGrid() {
    signIn(VIEWER, PASSWORD);
    open("/dags/" + DEMO + "/grid");
    assertThat(find("[data-dag='" + DEMO + "']").isDisplayed()).isTrue();
    assertThat(buttonsAndLinks()).doesNotContainAnyElementsOf(ACTIONS);
  }

  @Test
  void aViewersDirectPostIsRefused() throws Exception {
    signIn(VIEWER, PASSWORD);
    open("/dags/" + DEMO + "/grid");
    String csrf =
        find("meta[name=csrf-token]").getDomAttribute("content"); // the session's own token
    Cookie session = driver.manage().getCookieNamed("updraft_session");
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/dags/" + DEMO + "/trigger"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Cookie", "updraft_session=" + session.getValue())
                    .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + csrf + "&conf=%7B%7D"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("viewer");
  }

  @Test
  void aUserSeesTheActions() {
    signIn(USER, PASSWORD);
    open("/dags/" + DEMO + "/grid");
    assertThat(buttonsAndLinks()).contains("Trigger").containsAnyOf("Pause", "Unpause");
  }

  private List<String> buttonsAndLinks() {
    return driver.findElements(By.cssSelector("button, a.button, input[type=submit]")).stream()
        .map(WebElement::getText)
        .map(String::strip)
        .toList();
  }
}
