package org.longitude.extract;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The completion manifest of a Bulk Data export job: when the export's snapshot was taken,
 * whether its files need the access token, and its output and error files.
 *
 * @param transactionTime the server's time of the snapshot: the clinic's next high-water mark
 * @param requiresAccessToken whether the files must be fetched with the clinic's credentials
 */
record BulkManifest(Instant transactionTime, boolean requiresAccessToken, List<File> output,
    List<File> error) {

  /**
   * One file of the manifest.
   *
   * @param type the resource type it holds (OperationOutcome for error files)
   */
  record File(String type, String url) {}

  /**
   * Reads a manifest; names what is missing or malformed, never quoting values (a server may
   * echo request content in them).
   */
  static BulkManifest parse(JsonNode json) throws FhirHttp.BadResponseException {
    if (!json.isObject()) {
      throw new FhirHttp.BadResponseException("the export manifest is not a JSON object");
    }
    Instant transactionTime;
    try {
      transactionTime = Instant.parse(json.path("transactionTime").asText());
    } catch (DateTimeParseException e) {
      throw new FhirHttp.BadResponseException("the export manifest has no valid "
          + "transactionTime (an ISO-8601 instant)");
    }
    if (!json.path("output").isArray()) {
      throw new FhirHttp.BadResponseException("the export manifest has no output array");
    }
    return new BulkManifest(transactionTime, json.path("requiresAccessToken").asBoolean(false),
        files(json.path("output"), "output"), files(json.path("error"), "error"));
  }

  private static List<File> files(JsonNode array, String field)
      throws FhirHttp.BadResponseException {
    List<File> files = new ArrayList<>();
    for (JsonNode entry : array) {
      String type = entry.path("type").asText("");
      String url = entry.path("url").asText("");
      if (!type.matches("[A-Z][A-Za-z]{1,63}") || url.isEmpty()) {
        throw new FhirHttp.BadResponseException("the export manifest's " + field + "["
            + files.size() + "] has no valid type and url");
      }
      files.add(new File(type, url));
    }
    return files;
  }

  /**
   * Refuses any file URL outside the clinic's origin (scheme, host and port of its base URL):
   * a manifest must not send the pull, and with it the clinic's credentials, to another host
   * or into the worker's file system.
   */
  void requireSameOrigin(String baseUrl) throws FhirHttp.BadResponseException {
    List<File> all = new ArrayList<>(output);
    all.addAll(error);
    for (File file : all) {
      requireSameOrigin(baseUrl, file.url(), "an output or error file");
    }
  }

  /** Refuses {@code url} unless its scheme, host and port are the base URL's. */
  static void requireSameOrigin(String baseUrl, String url, String what)
      throws FhirHttp.BadResponseException {
    URI base = URI.create(baseUrl);
    URI target;
    try {
      target = new URI(url);
    } catch (java.net.URISyntaxException e) {
      throw new FhirHttp.BadResponseException("refused " + what + " URL that is not a valid URL");
    }
    String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase();
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new FhirHttp.BadResponseException("refused " + what + " URL with scheme '"
          + (scheme.isEmpty() ? "none" : scheme) + ":' (only the clinic's own http(s) origin "
          + origin(base) + " is accepted)");
    }
    if (!origin(target).equals(origin(base))) {
      throw new FhirHttp.BadResponseException("refused " + what + " URL on another origin ("
          + origin(target) + "; the clinic is " + origin(base) + ")");
    }
  }

  /** scheme://host:port with the scheme's default port filled in. */
  static String origin(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase();
    return scheme + "://" + host + ":" + port;
  }
}
