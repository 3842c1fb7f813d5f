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
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.longitude.config.Source;
import org.longitude.config.SourceAuth;

/**
 * A small FHIR HTTP client: GET with {@code Accept: application/fhir+json}, the clinic's
 * auth, timeouts, and bounded retries with exponential backoff and jitter for transient
 * failures: I/O errors (connection refused or reset, read timeouts, a body cut off by the
 * connection), 429 and 5xx, honouring {@code Retry-After}. A well-delivered response that is
 * not what was asked for (malformed JSON, not a Bundle, an OperationOutcome, 4xx) is not
 * retried (a DELETE answered 404 is done: see {@link #exchange}). Redirects are refused
 * (3xx fails with the target host named). Each response must complete within the request
 * timeout, and the clinic's overall time limit ends the pull.
 * Thread-safe.
 */
final class FhirHttp {
  static final String FHIR_JSON = "application/fhir+json";
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

  /** The clinic's overall time limit ran out: no further request is made. */
  static final class TimeLimitException extends IOException {
    TimeLimitException(String message) {
      super(message);
    }
  }

  /** A response body and the server's {@code Date} header (null when absent). */
  record Fetched<T>(T body, String date) {}

  /** Interrupts readers whose response body outlives its deadline (see {@link BodyDeadline}). */
  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "longitude-body-deadline");
        t.setDaemon(true);
        return t;
      });

  private final HttpClient client;
  private final Retry retry;
  private final Duration requestTimeout;
  private final ClinicAuth auth;
  /** When the clinic's pull must end; null = no overall limit. */
  private final Instant deadline;
  private final Duration timeLimit;

  /**
   * @param ssl TLS context with the clinic's trust store; null = the JVM's default trust store
   * @param timeLimit the clinic's overall time limit, counted from {@code start}; null = none
   */
  FhirHttp(Retry retry, Duration connectTimeout, Duration requestTimeout, SourceAuth auth,
      SSLContext ssl, Instant start, Duration timeLimit) {
    HttpClient.Builder builder = HttpClient.newBuilder()
        .connectTimeout(connectTimeout)
        // A redirect could carry the clinic's credentials to another host: refused, see get.
        .followRedirects(HttpClient.Redirect.NEVER);
    if (ssl != null) {
      builder.sslContext(ssl);
    }
    this.client = builder.build();
    this.retry = retry;
    this.requestTimeout = requestTimeout;
    this.auth = ClinicAuth.of(auth, client, requestTimeout, Clock.systemUTC());
    this.timeLimit = timeLimit;
    this.deadline = timeLimit == null ? null : start.plus(timeLimit);
  }

  FhirHttp(Retry retry, Duration connectTimeout, Duration requestTimeout, SourceAuth auth) {
    this(retry, connectTimeout, requestTimeout, auth, null, null, null);
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

  /**
   * Defaults for one clinic's source: its auth, its trust store and its overall time limit
   * counted from {@code start} (the run's start).
   */
  static FhirHttp forSource(Source source, Instant start) {
    return new FhirHttp(Retry.defaults(), Duration.ofSeconds(10), Duration.ofSeconds(120),
        source.auth(), TrustStores.sslContext(source), start, source.timeLimitOrDefault());
  }

  <T> T get(String url, BodyReader<T> reader) throws IOException {
    return fetch(url, Map.of(), reader).body();
  }

  /** GET with extra request headers; returns the body as read and the server's {@code Date}. */
  <T> Fetched<T> fetch(String url, Map<String, String> headers, BodyReader<T> reader)
      throws IOException {
    return exchange(new Call("GET", url, FHIR_JSON, headers, true, false),
        (status, responseHeaders, body) -> new Fetched<>(reader.read(body),
            responseHeaders.firstValue("Date").orElse(null)));
  }

  /**
   * One request: a search page, or a step of the Bulk Data flow (kick-off, status poll, file
   * download, job delete).
   *
   * @param method GET or DELETE
   * @param accept the Accept header
   * @param headers further request headers ({@code Prefer}, {@code Cache-Control})
   * @param withAuth sends the clinic's credentials (a manifest may say its files need none)
   * @param longBody the body may take longer than one request timeout to read (an export
   *     file): it is bounded by the clinic's time limit instead
   */
  record Call(String method, String url, String accept, Map<String, String> headers,
      boolean withAuth, boolean longBody) {
    static Call get(String url, String accept) {
      return new Call("GET", url, accept, Map.of(), true, false);
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
   * Sends {@code call}, retrying I/O errors, 429 and 5xx (honouring Retry-After) and
   * re-authenticating once on 401, and hands a 2xx response to {@code reader} (and a 404 to a
   * DELETE: the thing is gone, as asked). Each response
   * must complete within the request timeout (a body that trickles forever fails), and no
   * request starts after the clinic's time limit.
   */
  <T> T exchange(Call call, ResponseReader<T> reader) throws IOException {
    boolean reauthenticated = false;
    for (int attempt = 1; ; attempt++) {
      Duration timeout = timeoutNow();
      HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(call.url()))
          .timeout(timeout)
          .header("Accept", call.accept())
          .method(call.method(), HttpRequest.BodyPublishers.noBody());
      call.headers().forEach(builder::header);
      String authorization = call.withAuth() ? auth.header() : null;
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
        if (status / 100 == 2 || isGoneAfterDelete(call, status)) {
          try {
            return readWithin(call.longBody() ? timeLeft() : timeout, body,
                in -> reader.read(status, response.headers(), in));
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
        if (status >= 300 && status < 400) {
          throw new BadResponseException("HTTP " + status + ": refused redirect to "
              + redirectHost(response) + " (Longitude follows no redirects, so credentials "
              + "never reach another host; set base_url to the server's final address)");
        }
        drain(body);
        if (status == 401 && call.withAuth() && !reauthenticated && auth.rejected()) {
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
   * A DELETE answered 404: what was to be deleted is gone already, which is what was asked
   * (HAPI FHIR JPA answers a DELETE of a finished export job so); its reader sees the status.
   */
  private static boolean isGoneAfterDelete(Call call, int status) {
    return status == 404 && call.method().equals("DELETE");
  }

  /** The request timeout, cut short by the clinic's time limit; fails once that has passed. */
  private Duration timeoutNow() throws TimeLimitException {
    if (deadline == null) {
      return requestTimeout;
    }
    Duration left = Duration.between(Instant.now(), deadline);
    if (left.isNegative() || left.isZero()) {
      throw new TimeLimitException("the clinic's time limit of " + timeLimit + " (time_limit) "
          + "ran out; raise it or split the pull (slices)");
    }
    return left.compareTo(requestTimeout) < 0 ? left : requestTimeout;
  }

  /** What is left of the clinic's time limit; null = no limit. */
  private Duration timeLeft() {
    return deadline == null ? null : Duration.between(Instant.now(), deadline);
  }

  /**
   * Reads the body, interrupting the read when it is not complete within {@code limit}: the
   * HTTP client's timeout covers only the response headers, so a server that trickles bytes
   * forever would otherwise hold the pull for ever.
   */
  private static <T> T readWithin(Duration limit, InputStream body, BodyReader<T> reader)
      throws IOException {
    if (limit == null) {
      return reader.read(body);
    }
    try (BodyDeadline watch = new BodyDeadline(limit, body)) {
      try {
        T result = reader.read(body);
        if (watch.fired()) {
          throw watch.timeout();
        }
        return result;
      } catch (IOException | RuntimeException e) {
        if (watch.fired()) {
          throw watch.timeout();
        }
        throw e;
      }
    }
  }

  /**
   * A timer that, unless closed first, closes the body and interrupts its reader: the JDK's
   * response stream ignores an interrupt alone while it waits for bytes, but gives up once
   * it is closed and woken.
   */
  private static final class BodyDeadline implements AutoCloseable {
    private final Thread reader = Thread.currentThread();
    private final Duration limit;
    private final InputStream body;
    private final ScheduledFuture<?> timer;
    private boolean active = true;
    private boolean fired;

    BodyDeadline(Duration limit, InputStream body) {
      this.limit = limit;
      this.body = body;
      this.timer = WATCHDOG.schedule(this::fire, limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void fire() {
      if (active) {
        fired = true;
        try {
          body.close();
        } catch (IOException ignored) {
          // the reader is woken either way
        }
        reader.interrupt();
      }
    }

    synchronized boolean fired() {
      return fired;
    }

    IOException timeout() {
      return new IOException("the response did not complete within " + limit
          + " (the server kept the body open)");
    }

    @Override
    public void close() {
      synchronized (this) {
        active = false;
      }
      timer.cancel(false);
      if (fired()) {
        Thread.interrupted(); // clear the flag this timer set; the caller sees the timeout
      }
    }
  }

  /** The host a redirect points at (never the rest of the URL: it may carry query data). */
  private static String redirectHost(HttpResponse<?> response) {
    return response.headers().firstValue("Location").map(l -> {
      try {
        String host = URI.create(l).getHost();
        return host == null ? "a relative location on the same host" : host;
      } catch (IllegalArgumentException e) {
        return "an unparseable location";
      }
    }).orElse("no location");
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

  /** Retry-After (seconds or an HTTP date) in milliseconds, unbounded. */
  static Optional<Long> retryAfterMillis(java.net.http.HttpHeaders headers) {
    return headers.firstValue("Retry-After").flatMap(v -> {
      long millis;
      try {
        millis = Long.parseLong(v.trim()) * 1000;
      } catch (NumberFormatException e) {
        try {
          millis = Duration.between(Instant.now(),
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
