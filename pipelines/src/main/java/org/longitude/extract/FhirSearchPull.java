package org.longitude.extract;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.IRestfulClientFactory;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.util.function.Consumer;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Pulls one search from a FHIR server, page by page, following {@code Bundle.link[next]}
 * exactly as the server gives it. Each page is handed on and dropped before the next is
 * fetched, so memory does not grow with the clinic.
 */
final class FhirSearchPull {
  private final FhirContext fhir;
  private final IParser json;
  private final Retry retry;

  FhirSearchPull(FhirContext fhir, Retry retry) {
    this.fhir = fhir;
    this.json = fhir.newJsonParser();
    this.retry = retry;
  }

  static FhirContext newContext() {
    FhirContext fhir = FhirContext.forR4();
    IRestfulClientFactory factory = fhir.getRestfulClientFactory();
    factory.setServerValidationMode(ServerValidationModeEnum.NEVER);
    factory.setConnectTimeout(10_000);
    factory.setSocketTimeout(60_000);
    return fhir;
  }

  /** Streams every matching resource's JSON to {@code sink}; returns the number of pages. */
  int pull(PullTask task, Consumer<String> sink) {
    String base = task.source().baseUrl();
    IGenericClient client = fhir.newRestfulGenericClient(base);
    String url = base + "/" + task.resourceType() + "?" + task.query()
        + (task.query().isEmpty() ? "" : "&") + "_count=" + task.source().pageSizeOrDefault();
    String current = url;
    int pages = 0;
    try {
      final String first = url;
      Bundle page = retry.call(() -> client.search().byUrl(first).returnBundle(Bundle.class)
          .execute());
      while (true) {
        pages++;
        for (Bundle.BundleEntryComponent entry : page.getEntry()) {
          if (entry.hasResource() && isMatch(entry)) {
            sink.accept(json.encodeResourceToString(entry.getResource()));
          }
        }
        if (page.getLink(IBaseBundle.LINK_NEXT) == null) {
          return pages;
        }
        current = page.getLink(IBaseBundle.LINK_NEXT).getUrl();
        final Bundle previous = page;
        page = retry.call(() -> client.loadPage().next(previous).execute());
      }
    } catch (Exception e) {
      throw new PullFailedException("clinic '" + task.clinic() + "': search failed at " + current
          + " after " + pages + " page(s): " + describe(e), e);
    }
  }

  private static boolean isMatch(Bundle.BundleEntryComponent entry) {
    return !entry.hasSearch() || entry.getSearch().getMode() == null
        || entry.getSearch().getMode() == Bundle.SearchEntryMode.MATCH;
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
