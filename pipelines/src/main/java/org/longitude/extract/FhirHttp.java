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

  /**
   * One request of the Bulk Data flow (kick-off, status poll, file download, job delete).
   *
   * @param method GET or DELETE
   * @param accept the Accept header
   * @param async sends {@code Prefer: respond-async} (the kick-off)
   * @param withAuth sends the clinic's credentials (a manifest may say its files need none)
   */
  record Call(String method, String url, String accept, boolean async, boolean withAuth) {
    static Call get(String url, String accept) {
      return new Call("GET", url, accept, false, true);
    }
  }

  /** Reads a 2xx response of a {@link Call}. */
  interface ResponseReader<T> {
    /**
     * Reads one response. It is called again when the connection fails while the body is
     * read, so it must hand nothing on before it returns, or skip on the next call what it
     * already handed on.
     */
    T read(int status, java.net.http.HttpHeaders headers, InputStream body) throws IOException;
  }

  /**
   * Sends {@code call} with the same retries as {@link #get} (I/O errors, 429, 5xx honouring
   * Retry-After, one re-authentication on 401) and hands any 2xx response to {@code reader}.
   */
  <T> T exchange(Call call, ResponseReader<T> reader) throws IOException {
    boolean reauthenticated = false;
    for (int attempt = 1; ; attempt++) {
      HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(call.url()))
          .timeout(requestTimeout)
          .header("Accept", call.accept())
          .method(call.method(), HttpRequest.BodyPublishers.noBody());
      if (call.async()) {
        builder.header("Prefer", "respond-async");
      }
      String authorization = call.withAuth() ? auth.header() : null;
      if (authorization != null) {
        builder.header("Authorization", authorization);
      }
      HttpResponse<InputStream> response;
      try {
        response = client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
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
        if (status / 100 == 2) {
          try {
            return reader.read(status, response.headers(), body);
          } catch (JsonProcessingException | BadResponseException e) {
            throw e;
          } catch (IOException e) {
            if (attempt >= retry.maxAttempts()) {
              throw new IOException(FhirSearchPull.describe(e) + " while reading the body "
                  + "(after " + attempt + " attempt(s))", e);
            }
            sleep(retry.backoff(attempt));
            continue;
          }
        }
        drain(body);
        if (status == 401 && call.withAuth() && !reauthenticated && auth.rejected()) {
          reauthenticated = true;
          attempt--;
          continue;
        }
        if (status == 401 || status == 403) {
          throw new ClinicAuth.AuthException("HTTP " + status
              + " from the server: the clinic refused the credentials");
        }
        if (status != 429 && status < 500) {
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
    return retryAfterMillis(response.headers())
        .map(millis -> Math.min(millis, retry.maxBackoff().toMillis()));
  }

  /** Retry-After (seconds or an HTTP date) in milliseconds, not negative, unbounded. */
  static Optional<Long> retryAfterMillis(java.net.http.HttpHeaders headers) {
    return headers.firstValue("Retry-After").flatMap(v -> {
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
      return Optional.of(Math.max(0, millis));
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
