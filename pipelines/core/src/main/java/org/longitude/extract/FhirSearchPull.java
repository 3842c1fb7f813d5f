package org.longitude.extract;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.longitude.common.Instants;

/**
 * Pulls one search from a FHIR server, page by page, following {@code Bundle.link[next]}
 * exactly as the server gives it. Each page is parsed as a stream and its entries handed on,
 * unchanged, once the page is complete: memory is bounded by one page, not the clinic.
 */
final class FhirSearchPull {
  /**
   * The most match entries one page may carry: twice the largest {@code page_size} a study may
   * ask for. A page is held whole until it is complete, so a server that ignores
   * {@code _count} (or a hostile one) must not make a page unbounded.
   */
  static final int MAX_ENTRIES_PER_PAGE = 10_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFactory FACTORY = JSON.getFactory();
  private final FhirHttp http;

  FhirSearchPull(FhirHttp http) {
    this.http = http;
  }

  /**
   * Sent with every search request: a HAPI FHIR JPA server otherwise answers a search repeated
   * within about a minute from a cache that does not see recent writes.
   */
  static final Map<String, String> NO_CACHE = Map.of("Cache-Control", "no-cache");

  /** The first request of a task: its query, {@code _lastUpdated=ge<since>}, {@code _count}. */
  static String firstUrl(PullTask task) {
    StringBuilder url = new StringBuilder(task.source().baseUrl()).append('/')
        .append(task.resourceType()).append('?');
    if (!task.query().isEmpty()) {
      url.append(task.query()).append('&');
    }
    if (task.since() != null) {
      url.append("_lastUpdated=ge")
          .append(Slices.format(Instants.parse(task.since()))).append('&');
    }
    return url.append("_count=").append(task.source().pageSizeOrDefault()).toString();
  }

  /**
   * Streams every matching resource's JSON to {@code sink}; returns the number of pages.
   */
  int pull(PullTask task, Consumer<String> sink) {
    return pull(task, sink, () -> { }, mark -> { });
  }

  /**
   * As {@link #pull(PullTask, Consumer)}, calling {@code pageDone} after each page, and
   * reporting the server's time of the search (the first page's Bundle meta.lastUpdated, else
   * its HTTP Date) to {@code serverTime}, epoch millis: the next incremental run asks for what
   * changed after the smallest of the clinic's.
   */
  int pull(PullTask task, Consumer<String> sink, Runnable pageDone, LongConsumer serverTime) {
    String url = firstUrl(task);
    int pages = 0;
    // Page URLs seen in this pull: a server whose next link returns to an earlier page would
    // otherwise be followed forever, handing the same resources on again and again.
    Set<String> seen = new HashSet<>();
    try {
      while (url != null) {
        if (!seen.add(url)) {
          throw new FhirHttp.BadResponseException("the server's next link returns to a page "
              + "already read in this search (a paging cycle)");
        }
        FhirHttp.Fetched<Page> fetched = http.fetch(url, NO_CACHE, FhirSearchPull::readPage);
        Page page = fetched.body();
        if (pages == 0) {
          serverTime.accept(serverTime(page.lastUpdated(), fetched.date()));
        }
        page.resources().forEach(sink);
        url = page.next();
        pages++;
        pageDone.run();
      }
      return pages;
    } catch (HandedOnFailure e) {
      throw e.later();
    } catch (IOException | RuntimeException e) {
      throw new PullFailedException("clinic '" + task.clinic() + "': " + task.resourceType()
          + " search failed at " + url + " after " + pages + " complete page(s): "
          + describe(e), e);
    }
  }

  /** Server time of a search; fails the pull when the server gives neither value. */
  private static long serverTime(String lastUpdated, String date)
      throws FhirHttp.BadResponseException {
    Instant mark;
    try {
      if (lastUpdated != null) {
        mark = Instants.parse(lastUpdated);
      } else if (date != null) {
        mark = DateTimeFormatter.RFC_1123_DATE_TIME.parse(date, Instant::from);
      } else {
        throw new FhirHttp.BadResponseException("the search page has neither Bundle "
            + "meta.lastUpdated nor an HTTP Date header: no server time for the high-water mark");
      }
    } catch (DateTimeParseException e) {
      throw new FhirHttp.BadResponseException("the server's time of the search is not a "
          + "valid instant (Bundle meta.lastUpdated or HTTP Date)");
    }
    return mark.toEpochMilli();
  }

  /**
   * One page: its match entries (the JSON of each resource), its next link, or null, and its
   * Bundle meta.lastUpdated, or null.
   */
  record Page(List<String> resources, String next, String lastUpdated) {}

  /**
   * Reads one searchset Bundle. Entries are held until the whole page has been read, so a
   * page that fails part-way (and is retried) hands nothing on twice; a page is bounded by
   * {@code _count}, so memory does not grow with the clinic.
   */
  static Page readPage(InputStream body) throws IOException {
    String next = null;
    String lastUpdated = null;
    boolean bundle = false;
    List<String> resources = new ArrayList<>();
    try (JsonParser p = FACTORY.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new FhirHttp.BadResponseException("the response is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "resourceType" -> {
            String type = p.getText();
            if (type.equals("OperationOutcome")) {
              throw new FhirHttp.BadResponseException(
                  "the server answered with an OperationOutcome");
            }
            bundle = type.equals("Bundle");
          }
          case "link" -> next = nextLink(JSON.readTree(p));
          case "meta" -> lastUpdated = JSON.<JsonNode>readTree(p).path("lastUpdated").asText(null);
          case "entry" -> readEntries(p, resources);
          default -> p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT) {
        throw new FhirHttp.BadResponseException("the response ends inside the Bundle");
      }
    }
    if (!bundle) {
      throw new FhirHttp.BadResponseException("the response is not a FHIR Bundle");
    }
    return new Page(resources, next, lastUpdated);
  }

  private static void readEntries(JsonParser p, List<String> resources) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new FhirHttp.BadResponseException("Bundle.entry is not an array");
    }
    while (p.nextToken() == JsonToken.START_OBJECT) {
      if (resources.size() >= MAX_ENTRIES_PER_PAGE) {
        throw new FhirHttp.BadResponseException("the page has more than "
            + MAX_ENTRIES_PER_PAGE + " entries, far beyond the _count asked for");
      }
      JsonNode entry = JSON.readTree(p);
      String mode = entry.path("search").path("mode").asText("match");
      JsonNode resource = entry.get("resource");
      if (resource != null && "OperationOutcome".equals(resource.path("resourceType").asText())
          && hasErrors(resource)) {
        // Diagnostics are not quoted: servers may echo request content in them.
        throw new FhirHttp.BadResponseException(
            "the page carries an OperationOutcome with errors");
      }
      if (resource == null || !mode.equals("match")) {
        continue;
      }
      resources.add(resource.toString());
    }
  }

  private static boolean hasErrors(JsonNode outcome) {
    for (JsonNode issue : outcome.path("issue")) {
      String severity = issue.path("severity").asText();
      if (severity.equals("error") || severity.equals("fatal")) {
        return true;
      }
    }
    return false;
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
