package org.longitude.extract;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A small FHIR HTTP client: GET with {@code Accept: application/fhir+json}, timeouts, and
 * bounded retries with exponential backoff and full jitter for transient failures (I/O
 * errors, 429 and 5xx), honouring {@code Retry-After}. Thread-safe.
 */
final class FhirHttp {
  /** Reads a response body; returns what the caller wants from it. */
  interface BodyReader<T> {
    T read(InputStream body) throws IOException;
  }

  private final HttpClient client;
  private final Retry retry;
  private final Duration requestTimeout;

  FhirHttp(Retry retry, Duration connectTimeout, Duration requestTimeout) {
    this.client = HttpClient.newBuilder()
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    this.retry = retry;
    this.requestTimeout = requestTimeout;
  }

  static FhirHttp defaults() {
    return new FhirHttp(Retry.defaults(), Duration.ofSeconds(10), Duration.ofSeconds(120));
  }

  <T> T get(String url, BodyReader<T> reader) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url))
        .timeout(requestTimeout)
        .header("Accept", "application/fhir+json")
        .GET().build();
    for (int attempt = 1; ; attempt++) {
      HttpResponse<InputStream> response;
      try {
        response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) { // connection refused or reset, timeouts
        if (attempt >= retry.maxAttempts()) {
          throw e;
        }
        sleep(retry.backoff(attempt));
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      int status = response.statusCode();
      try (InputStream body = response.body()) {
        if (status == 200) {
          return reader.read(body);
        }
        boolean transientStatus = status == 429 || status >= 500;
        if (!transientStatus || attempt >= retry.maxAttempts()) {
          throw new IOException("HTTP " + status + " from the server");
        }
        body.transferTo(java.io.OutputStream.nullOutputStream());
      }
      sleep(retryAfter(response).orElse(retry.backoff(attempt)));
    }
  }

  /** Retry-After in seconds, bounded by the retry policy's maximum backoff. */
  private Optional<Long> retryAfter(HttpResponse<?> response) {
    return response.headers().firstValue("Retry-After").flatMap(v -> {
      try {
        long millis = Long.parseLong(v.trim()) * 1000;
        return Optional.of(Math.min(millis, retry.maxBackoff().toMillis()));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    });
  }

  private static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis + ThreadLocalRandom.current().nextInt(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
