package org.longitude.extract;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Pulls one search from a FHIR server, page by page, following {@code Bundle.link[next]}
 * exactly as the server gives it. Each page is parsed as a stream: entries are handed on as
 * they are read, unchanged, so memory does not grow with the page or the clinic.
 */
final class FhirSearchPull {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFactory FACTORY = JSON.getFactory();
  private final FhirHttp http;

  FhirSearchPull(FhirHttp http) {
    this.http = http;
  }

  /** Streams every matching resource's JSON to {@code sink}; returns the number of pages. */
  int pull(PullTask task, Consumer<String> sink) {
    String base = task.source().baseUrl();
    String url = base + "/" + task.resourceType() + "?" + task.query()
        + (task.query().isEmpty() ? "" : "&") + "_count=" + task.source().pageSizeOrDefault();
    int pages = 0;
    try {
      while (url != null) {
        final String pageUrl = url;
        url = http.get(pageUrl, body -> readPage(body, sink));
        pages++;
      }
      return pages;
    } catch (IOException | RuntimeException e) {
      throw new PullFailedException("clinic '" + task.clinic() + "': search failed at " + url
          + " after " + pages + " page(s): " + describe(e), e);
    }
  }

  /** Reads one searchset Bundle, streaming its match entries; returns the next link or null. */
  static String readPage(InputStream body, Consumer<String> sink) throws IOException {
    String next = null;
    boolean bundle = false;
    try (JsonParser p = FACTORY.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("the response is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "resourceType" -> {
            String type = p.getText();
            if (type.equals("OperationOutcome")) {
              throw new IOException("the server answered with an OperationOutcome");
            }
            bundle = type.equals("Bundle");
          }
          case "link" -> next = nextLink(JSON.readTree(p));
          case "entry" -> readEntries(p, sink);
          default -> p.skipChildren();
        }
      }
    }
    if (!bundle) {
      throw new IOException("the response is not a FHIR Bundle");
    }
    return next;
  }

  private static void readEntries(JsonParser p, Consumer<String> sink) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new IOException("Bundle.entry is not an array");
    }
    while (p.nextToken() == JsonToken.START_OBJECT) {
      JsonNode entry = JSON.readTree(p);
      String mode = entry.path("search").path("mode").asText("match");
      JsonNode resource = entry.get("resource");
      if (resource == null || !mode.equals("match")) {
        if (resource != null && "OperationOutcome".equals(resource.path("resourceType").asText())
            && resource.toString().contains("\"error\"")) {
          throw new IOException("the page carries an OperationOutcome with errors");
        }
        continue;
      }
      sink.accept(resource.toString());
    }
  }

  private static String nextLink(JsonNode links) {
    for (JsonNode link : links) {
      if ("next".equals(link.path("relation").asText())) {
        return link.path("url").asText(null);
      }
    }
    return null;
  }

  /** The exception's class and first line only: server messages may echo request content. */
  static String describe(Throwable e) {
    String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
    if (message.length() > 200) {
      message = message.substring(0, 200) + "...";
    }
    return e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
  }
}
