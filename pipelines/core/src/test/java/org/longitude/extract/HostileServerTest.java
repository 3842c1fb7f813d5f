package org.longitude.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.longitude.config.Source;

/** Servers that answer wrongly on purpose: the pull stops with a clear reason, never loops. */
class HostileServerTest {
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private String serve(BiConsumer<HttpExchange, String> handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir";
    server.createContext("/fhir", exchange -> {
      try {
        handler.accept(exchange, base);
      } finally {
        exchange.close();
      }
    });
    // A thread per exchange: a handler that never ends must not block the next request.
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    return base;
  }

  private static void answer(HttpExchange exchange, String contentType, String body) {
    try {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
    } catch (IOException e) {
      // the client went away
    }
  }

  private static String bundle(String next, String... ids) {
    StringBuilder entries = new StringBuilder();
    for (String id : ids) {
      entries.append(entries.length() == 0 ? "" : ",").append("{\"resource\":{\"resourceType\":"
          + "\"Observation\",\"id\":\"" + id + "\"},\"search\":{\"mode\":\"match\"}}");
    }
    String link = next == null ? "" : "\"link\":[{\"relation\":\"next\",\"url\":\"" + next
        + "\"}],";
    return "{\"resourceType\":\"Bundle\",\"type\":\"searchset\"," + link + "\"entry\":["
        + entries + "]}";
  }

  private static PullFailedException pullFails(String base, List<String> got) {
    PullTask task = new PullTask("hostile", new Source(Source.Kind.FHIR_SEARCH, base, 10, null),
        "Observation", "", null);
    FhirSearchPull pull = new FhirSearchPull(FhirHttp.defaults());
    return assertTimeoutPreemptively(Duration.ofSeconds(60),
        () -> assertThrows(PullFailedException.class, () -> pull.pull(task, got::add)));
  }

  @Test
  void jpaStylePagingWithoutTotalIsFollowedToTheEnd() throws IOException {
    // As a HAPI FHIR JPA server pages: next links at the server base by offset, no total.
    String base = serve((exchange, b) -> {
      String query = String.valueOf(exchange.getRequestURI().getQuery());
      int offset = query.contains("_getpagesoffset=")
          ? Integer.parseInt(query.replaceAll(".*_getpagesoffset=(\\d+).*", "$1")) : 0;
      String next = offset + 10 >= 25 ? null
          : b + "?_getpages=9f1c2e&_getpagesoffset=" + (offset + 10) + "&_count=10";
      answer(exchange, "application/fhir+json", bundle(next, java.util.stream.IntStream
          .range(offset, Math.min(offset + 10, 25)).mapToObj(i -> "o" + i)
          .toArray(String[]::new)));
    });
    List<String> got = new ArrayList<>();

    int pages = new FhirSearchPull(FhirHttp.defaults()).pull(task(base), got::add);

    assertEquals(3, pages);
    assertEquals(25, got.size());
    assertEquals(25, got.stream().distinct().count(), "each resource once");
  }

  @Test
  void nextLinkCycleIsDetected() throws IOException {
    // Page 1 -> page 2 -> page 1 -> ...
    String base = serve((exchange, b) -> {
      boolean second = String.valueOf(exchange.getRequestURI().getQuery()).contains("page=2");
      answer(exchange, "application/fhir+json", second
          ? bundle(b + "/Observation?_count=10", "o2")
          : bundle(b + "/Observation?page=2", "o1"));
    });
    List<String> got = new ArrayList<>();
    PullFailedException e = pullFails(base, got);
    assertTrue(e.getMessage().contains("paging cycle"), e.getMessage());
    assertTrue(e.getMessage().contains("clinic 'hostile'"), e.getMessage());
    assertEquals(2, got.size(), "each page handed on once");
  }

  @Test
  void htmlAnsweredWith200FailsTheClinicWithoutQuotingIt() throws IOException {
    String base = serve((exchange, b) -> answer(exchange, "text/html",
        "<html><body>Gateway login for jane.doe@clinic.example</body></html>"));
    List<String> got = new ArrayList<>();
    PullFailedException e = pullFails(base, got);
    assertTrue(e.getMessage().contains("Observation search failed"), e.getMessage());
    assertFalse(e.getMessage().contains("jane.doe"), e.getMessage());
    assertEquals(0, got.size());
  }

  @Test
  void aMillionEntryPageIsRefusedWithoutHoldingIt() throws IOException {
    String base = serve((exchange, b) -> {
      try {
        exchange.getResponseHeaders().set("Content-Type", "application/fhir+json");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write("{\"resourceType\":\"Bundle\",\"entry\":[".getBytes(StandardCharsets.UTF_8));
        byte[] entry = ("{\"resource\":{\"resourceType\":\"Observation\",\"id\":\"x\"}},")
            .getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 1_000_000; i++) {
          out.write(entry);
        }
        out.write("{}]}".getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // the client stopped reading, as it should
      }
    });
    List<String> got = new ArrayList<>();
    PullFailedException e = pullFails(base, got);
    assertTrue(e.getMessage().contains("more than " + FhirSearchPull.MAX_ENTRIES_PER_PAGE
        + " entries"), e.getMessage());
    assertEquals(0, got.size(), "nothing of the page is handed on");
  }

  /** Headers at once, then one byte of a Bundle every 50 ms, for as long as anyone listens. */
  private static void trickleForever(HttpExchange exchange) {
    try {
      exchange.getResponseHeaders().set("Content-Type", "application/fhir+json");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      out.write("{\"resourceType\":\"Bundle\",\"entry\":[".getBytes(StandardCharsets.UTF_8));
      out.flush();
      while (true) {
        out.write(' ');
        out.flush();
        Thread.sleep(50);
      }
    } catch (IOException e) {
      // the client gave up, as it should
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static PullTask task(String base) {
    return new PullTask("hostile", new Source(Source.Kind.FHIR_SEARCH, base, 10, null),
        "Observation", "");
  }

  @Test
  void aPageThatNeverEndsFailsWithinTheRequestTimeout() throws IOException {
    String base = serve((exchange, b) -> trickleForever(exchange));
    FhirHttp http = new FhirHttp(new Retry(2, Duration.ofMillis(10), Duration.ofMillis(20)),
        Duration.ofSeconds(5), Duration.ofMillis(700));
    List<String> got = new ArrayList<>();
    PullFailedException e = assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
        assertThrows(PullFailedException.class, () -> new FhirSearchPull(http)
            .pull(task(base), got::add)));
    assertTrue(e.getMessage().contains("did not complete within PT0.7S"), e.getMessage());
    assertTrue(e.getMessage().contains("after 2 attempt(s)"), e.getMessage());
    assertFalse(Thread.currentThread().isInterrupted(), "the reader's interrupt is cleared");
    assertEquals(0, got.size());
  }

  @Test
  void theClinicTimeLimitEndsAPullWhoseRequestsMayTakeLonger() throws IOException {
    String base = serve((exchange, b) -> trickleForever(exchange));
    Source source = new Source(Source.Kind.FHIR_SEARCH, base, 10, null).withTimeLimit("2s");
    FhirHttp http = FhirHttp.forSource(source, java.time.Instant.now());
    PullFailedException e = assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
        assertThrows(PullFailedException.class, () -> new FhirSearchPull(http)
            .pull(task(base), json -> { })));
    assertTrue(e.getMessage().contains("time limit of PT2S (time_limit) ran out"),
        e.getMessage());
    assertTrue(e.getMessage().contains("clinic 'hostile'"), e.getMessage());
  }

  @Test
  void aRedirectToAnotherHostIsRefusedNamingOnlyTheHost() throws IOException {
    String base = serve((exchange, b) -> {
      try {
        exchange.getResponseHeaders().set("Location",
            "http://elsewhere.example:8443/fhir/Observation?patient=jane-doe");
        exchange.sendResponseHeaders(302, -1);
      } catch (IOException e) {
        // the client went away
      }
    });
    List<String> got = new ArrayList<>();
    PullFailedException e = pullFails(base, got);
    assertTrue(e.getMessage().contains("refused redirect to elsewhere.example"), e.getMessage());
    assertFalse(e.getMessage().contains("jane-doe"), e.getMessage());
  }
}
