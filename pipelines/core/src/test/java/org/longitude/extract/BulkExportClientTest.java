package org.longitude.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.longitude.common.Reason;
import org.longitude.config.Source;

/** Downloads of export files from servers that cut off, mislabel or disguise them. */
class BulkExportClientTest {
  private static final int LINES = 2000;
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** Serves one file at {@code /fhir/Binary/f}; returns its URL. */
  private String serve(com.sun.net.httpserver.HttpHandler handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/fhir/Binary/f", exchange -> {
      try {
        handler.handle(exchange);
      } finally {
        exchange.close();
      }
    });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir/Binary/f";
  }

  private static byte[] ndjson() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < LINES; i++) {
      out.append("{\"resourceType\":\"Patient\",\"id\":\"p").append(i).append("\"}\n");
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> download(String url) throws IOException {
    List<String> lines = new ArrayList<>();
    BulkFile file = new BulkFile("c1", Source.bulkExport(url.replace("/Binary/f", "")),
        "Patient", url, false, true);
    new BulkExportClient(FhirHttp.defaults()).download(file, new NdjsonFilePull.Sink() {
      @Override
      public void accept(byte[] json) {
        lines.add(new String(json, StandardCharsets.UTF_8));
      }

      @Override
      public void refuse(Reason reason, long lineNumber) {
        lines.add(reason + "@" + lineNumber);
      }
    });
    return lines;
  }

  private static void send(HttpExchange exchange, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
  }

  @Test
  void downloadCutOffMidFileResumesWithoutRepeatsOrGaps() throws IOException {
    byte[] body = ndjson();
    AtomicInteger requests = new AtomicInteger();
    String url = serve(exchange -> {
      exchange.getResponseHeaders().set("Content-Type", BulkExportClient.NDJSON);
      if (requests.incrementAndGet() == 1) {
        // Promise the whole file, send a third of it: closing the exchange then drops the
        // connection, and the client sees the body cut off.
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body, 0, body.length / 3);
        exchange.getResponseBody().flush();
        return;
      }
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    });

    List<String> lines = download(url);

    assertEquals(LINES, lines.size());
    for (int i = 0; i < LINES; i++) {
      assertEquals("{\"resourceType\":\"Patient\",\"id\":\"p" + i + "\"}", lines.get(i));
    }
    assertTrue(requests.get() >= 2, "the cut download was retried");
  }

  @Test
  void binaryWithBase64DataIsStreamedAsItsLines() throws IOException {
    String data = Base64.getEncoder().encodeToString(ndjson());
    String url = serve(exchange -> send(exchange, "application/fhir+json;charset=UTF-8",
        ("{\"resourceType\":\"Binary\",\"id\":\"f\",\"contentType\":\"application/fhir+ndjson\","
            + "\"data\":\"" + data + "\",\"meta\":{\"versionId\":\"1\"}}")
            .getBytes(StandardCharsets.UTF_8)));

    List<String> lines = download(url);

    assertEquals(LINES, lines.size());
    assertEquals("{\"resourceType\":\"Patient\",\"id\":\"p1999\"}", lines.get(LINES - 1));
  }

  @Test
  void htmlPageInsteadOfAFileIsRefused() throws IOException {
    String url = serve(exchange -> send(exchange, "text/html",
        "<html><body>Maintenance</body></html>".getBytes(StandardCharsets.UTF_8)));

    FhirHttp.BadResponseException e = assertThrows(FhirHttp.BadResponseException.class,
        () -> download(url));

    assertTrue(e.getMessage().contains("neither NDJSON nor a FHIR Binary"), e.getMessage());
  }

  @Test
  void jsonThatIsNotABinaryIsRefused() throws IOException {
    String url = serve(exchange -> send(exchange, "application/fhir+json",
        "{\"resourceType\":\"OperationOutcome\",\"data\":\"e30K\"}"
            .getBytes(StandardCharsets.UTF_8)));

    FhirHttp.BadResponseException e = assertThrows(FhirHttp.BadResponseException.class,
        () -> download(url));

    assertTrue(e.getMessage().contains("not a FHIR Binary"), e.getMessage());
  }

  /**
   * HAPI FHIR JPA (8.8) answers the DELETE of a finished export job with 404 and an
   * OperationOutcome: the job is done with, which is all the DELETE asks.
   */
  @Test
  void deleteOfAFinishedJobAnswered404IsDoneWithTheServersReason() throws IOException {
    String url = serve(exchange -> {
      byte[] body = ("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":"
          + "\"information\",\"code\":\"informational\",\"diagnostics\":\"Export job "
          + "instance 7f3c was already cancelled or has completed. Nothing to do.\"}]}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/fhir+json");
      exchange.sendResponseHeaders("DELETE".equals(exchange.getRequestMethod()) ? 404 : 405,
          body.length);
      exchange.getResponseBody().write(body);
    });

    BulkExportClient.Deletion deletion = new BulkExportClient(FhirHttp.defaults()).delete(url);

    assertFalse(deletion.deleted());
    assertEquals("Export job instance 7f3c was already cancelled or has completed. Nothing to "
        + "do.", deletion.reason());
  }

  @Test
  void deleteAnsweredWithAnotherClientErrorStillFails() throws IOException {
    String url = serve(exchange -> exchange.sendResponseHeaders(400, -1));
    BulkExportClient client = new BulkExportClient(FhirHttp.defaults());

    FhirHttp.BadResponseException e = assertThrows(FhirHttp.BadResponseException.class,
        () -> client.delete(url));

    assertTrue(e.getMessage().contains("HTTP 400"), e.getMessage());
  }
}
