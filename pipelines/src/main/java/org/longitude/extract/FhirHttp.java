package org.longitude.extract;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.longitude.config.SourceAuth;

/**
 * A small FHIR HTTP client: GET with {@code Accept: application/fhir+json}, the clinic's
 * auth, timeouts, and bounded retries with exponential backoff and jitter for transient
 * failures: I/O errors (connection refused or reset, read timeouts, a body cut off by the
 * connection), 429 and 5xx, honouring {@code Retry-After}. A well-delivered response that is
 * not what was asked for (malformed JSON, not a Bundle, an OperationOutcome, 4xx) is not
 * retried. Thread-safe.
 */
final class FhirHttp {
  /**
   * Reads a response body; returns what the caller wants from it. It may be called again for
   * a retry, so it must hand nothing on before it returns.
   */
  interface BodyReader<T> {
    T read(InputStream body) throws IOException;
  }

  /** The response was delivered but is unusable: retrying will not help. */
  static final class BadResponseException extends IOException {
    BadResponseException(String message) {
      super(message);
    }
  }

  private final HttpClient client;
  private final Retry retry;
  private final Duration requestTimeout;
  private final ClinicAuth auth;

  FhirHttp(Retry retry, Duration connectTimeout, Duration requestTimeout, SourceAuth auth) {
    this.client = HttpClient.newBuilder()
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    this.retry = retry;
    this.requestTimeout = requestTimeout;
    this.auth = ClinicAuth.of(auth, client, requestTimeout, Clock.systemUTC());
  }

  FhirHttp(Retry retry, Duration connectTimeout, Duration requestTimeout) {
    this(retry, connectTimeout, requestTimeout, null);
  }

  static FhirHttp defaults() {
    return defaults(null);
  }

  /** Default retries (5 attempts) and timeouts (10 s connect, 120 s per response). */
  static FhirHttp defaults(SourceAuth auth) {
    return new FhirHttp(Retry.defaults(), Duration.ofSeconds(10), Duration.ofSeconds(120), auth);
  }

  <T> T get(String url, BodyReader<T> reader) throws IOException {
    boolean reauthenticated = false;
    for (int attempt = 1; ; attempt++) {
      HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
          .timeout(requestTimeout)
          .header("Accept", "application/fhir+json")
          .GET();
      String authorization = auth.header();
      if (authorization != null) {
        builder.header("Authorization", authorization);
      }
      HttpResponse<InputStream> response;
      try {
        response = client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) { // connection refused or reset, timeouts
        if (attempt >= retry.maxAttempts()) {
          throw new IOException(FhirSearchPull.describe(e) + " (after " + attempt
              + " attempt(s))", e);
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
          try {
            return reader.read(body);
          } catch (JsonProcessingException | BadResponseException e) {
            throw e;
          } catch (IOException e) { // the connection failed while the body was read
            if (attempt >= retry.maxAttempts()) {
              throw new IOException(FhirSearchPull.describe(e) + " while reading the body "
                  + "(after " + attempt + " attempt(s))", e);
            }
            sleep(retry.backoff(attempt));
            continue;
          }
        }
        drain(body);
        if (status == 401 && !reauthenticated && auth.rejected()) {
          reauthenticated = true; // an expired or revoked token: fetch a new one, once
          attempt--;
          continue;
        }
        if (status == 401 || status == 403) {
          throw new ClinicAuth.AuthException("HTTP " + status
              + " from the server: the clinic refused the credentials");
        }
        boolean transientStatus = status == 429 || status >= 500;
        if (!transientStatus) {
          throw new BadResponseException("HTTP " + status + " from the server");
        }
        if (attempt >= retry.maxAttempts()) {
          throw new IOException("HTTP " + status + " from the server (after " + attempt
              + " attempt(s))");
        }
      }
      sleep(retryAfter(response).orElse(retry.backoff(attempt)));
    }
  }

  private static void drain(InputStream body) {
    try {
      body.transferTo(OutputStream.nullOutputStream());
    } catch (IOException ignored) {
      // the connection is discarded either way
    }
  }

  /**
   * Retry-After (seconds or an HTTP date) in milliseconds, bounded by the retry policy's
   * maximum backoff so a server cannot stall the pull indefinitely.
   */
  Optional<Long> retryAfter(HttpResponse<?> response) {
    return response.headers().firstValue("Retry-After").flatMap(v -> {
      long millis;
      try {
        millis = Long.parseLong(v.trim()) * 1000;
      } catch (NumberFormatException e) {
        try {
          millis = Duration.between(java.time.Instant.now(),
              ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)).toMillis();
        } catch (DateTimeParseException e2) {
          return Optional.empty();
        }
      }
      return Optional.of(Math.max(0, Math.min(millis, retry.maxBackoff().toMillis())));
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
