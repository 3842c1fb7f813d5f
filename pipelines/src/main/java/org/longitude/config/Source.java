package org.longitude.config;

import java.io.Serializable;

/**
 * How a clinic delivers its data.
 *
 * @param kind fhir-search (REST search with paging) or ndjson (a Bulk Data style directory)
 * @param baseUrl FHIR base URL, for fhir-search
 * @param pageSize requested {@code _count}, for fhir-search
 * @param directory folder of NDJSON files, for ndjson (relative to the study file)
 * @param auth how to authenticate to the server, for fhir-search (null = none)
 */
public record Source(Kind kind, String baseUrl, Integer pageSize, String directory,
    SourceAuth auth) implements Serializable {

  @com.fasterxml.jackson.annotation.JsonCreator
  public Source {}

  public Source(Kind kind, String baseUrl, Integer pageSize, String directory) {
    this(kind, baseUrl, pageSize, directory, null);
  }

  /** The kinds of source. */
  public enum Kind {
    FHIR_SEARCH,
    NDJSON;

    @com.fasterxml.jackson.annotation.JsonCreator
    public static Kind parse(String text) {
      for (Kind k : values()) {
        if (k.name().replace('_', '-').equalsIgnoreCase(text)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown source kind '" + text
          + "' (expected fhir-search or ndjson)");
    }
  }

  public int pageSizeOrDefault() {
    return pageSize == null ? 200 : pageSize;
  }

  public Source withBaseUrl(String url) {
    return new Source(kind, url, pageSize, directory, auth);
  }

  public Source withAuth(SourceAuth newAuth) {
    return new Source(kind, baseUrl, pageSize, directory, newAuth);
  }
}
