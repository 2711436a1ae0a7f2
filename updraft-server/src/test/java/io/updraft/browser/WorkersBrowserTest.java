package io.updraft.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.api.Role;
import io.updraft.api.UserAccounts;
import io.updraft.store.Database;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;

/**
 * The workers page: two workers registered through the execution API as {@code updraft worker}
 * registers (one live, one stopped), reached from the menu by a viewer, each with its host, queues,
 * concurrency, state, last heartbeat and running tries.
 */
class WorkersBrowserTest extends BrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonNode call(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r =
        HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isLessThan(300);
    return r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
  }

  private long register(String token, String host, String queues, int concurrency)
      throws Exception {
    return call(
            "POST",
            "/execution/workers",
            token,
            "{\"hostname\": \""
                + host
                + "\", \"pid\": 4242, \"queues\": "
                + queues
                + ", \"concurrency\": "
                + concurrency
                + "}")
        .get("id")
        .asLong();
  }

  @Test
  void aViewerSeesTheWorkersFromTheMenu() throws Exception {
    try (Database db = server.openDatabase()) {
      new UserAccounts(db).create("wanda", Role.WORKER, PASSWORD, "test", Instant.now());
    }
    String token =
        call(
                "POST",
                "/auth/token",
                null,
                "{\"username\": \"wanda\", \"password\": \"" + PASSWORD + "\"}")
            .get("access_token")
            .asText();
    long stopped = register(token, "gpu-box-1", "[\"gpu\"]", 2);
    call("DELETE", "/execution/workers/" + stopped, token, null);
    long live = register(token, "etl-box-7", "[\"default\", \"etl\"]", 16);

    signIn(VIEWER, PASSWORD);
    driver.findElement(By.linkText("Workers")).click();
    waitUpTo(java.time.Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().endsWith("/workers"));
    assertThat(find("nav a.here").getText()).isEqualTo("Workers");

    List<List<String>> rows =
        driver.findElements(By.cssSelector("#workers tbody tr")).stream()
            .map(
                tr ->
                    tr.findElements(By.tagName("td")).stream()
                        .map(WebElement::getText)
                        .map(String::strip)
                        .toList())
            .toList();
    List<String> first = rows.get(0);
    assertThat(first.subList(0, 5))
        .containsExactly("etl-box-7", "4242", "default, etl", "16", "running");
    assertThat(first.get(5)).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\(\\d+ s ago\\)");
    assertThat(first.get(6)).isEqualTo("0 of 16");
    assertThat(find("tr[data-worker='" + live + "'] span.state.running").isDisplayed()).isTrue();
    assertThat(rows)
        .anySatisfy(
            r ->
                assertThat(r.subList(0, 5))
                    .containsExactly("gpu-box-1", "4242", "gpu", "2", "success"));

    Path shot = Path.of("target", "screenshots", "workers.png");
    Files.createDirectories(shot.getParent());
    Screenshots.write(((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES), shot);
  }
}
