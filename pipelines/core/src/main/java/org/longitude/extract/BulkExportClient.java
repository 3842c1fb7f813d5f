package org.longitude.extract;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Consumer;
import org.longitude.common.Reason;

/**
 * The FHIR Bulk Data {@code $export} flow against one clinic: kick-off, status polls until the
 * manifest (honouring {@code Retry-After} within an overall deadline), file downloads streamed
 * line by line, and the job's deletion. Thread-safe.
 */
final class BulkExportClient {
  /** The longest single wait between polls, whatever Retry-After says. */
  static final Duration MAX_POLL_WAIT = Duration.ofMinutes(1);
  /** The wait between polls when the server gives no Retry-After. */
  static final Duration DEFAULT_POLL_WAIT = Duration.ofSeconds(2);
  /** The shortest wait between polls: a Retry-After of 0 must not become a busy loop. */
  static final Duration MIN_POLL_WAIT = Duration.ofMillis(100);
  static final String NDJSON = "application/fhir+ndjson";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FhirHttp http;

  BulkExportClient(FhirHttp http) {
    this.http = http;
  }

  /** The job did not finish within the poll deadline. */
  static final class DeadlineException extends IOException {
    DeadlineException(String message) {
      super(message);
    }
  }

  /** The kick-off URL of a task: {@code [base]/$export?<query>[&_since=...]}. */
  static String kickOffUrl(PullTask task) {
    return task.source().baseUrl() + "/$export?" + task.query()
        + (task.since() == null ? "" : "&_since=" + URLEncoder.encode(task.since(),
            StandardCharsets.UTF_8));
  }

  /** Starts an export job; returns its status URL (on the clinic's own origin). */
  String kickOff(PullTask task) throws IOException {
    String base = task.source().baseUrl();
    String location = http.exchange(new FhirHttp.Call("GET", kickOffUrl(task),
        FhirHttp.FHIR_JSON, java.util.Map.of("Prefer", "respond-async"), true, false), (status, headers, body) -> {
          if (status != 202) {
            throw new FhirHttp.BadResponseException("the server answered the $export kick-off "
                + "with HTTP " + status + " instead of 202 Accepted");
          }
          return headers.firstValue("Content-Location").orElseThrow(() ->
              new FhirHttp.BadResponseException("the $export kick-off answer has no "
                  + "Content-Location (status URL)"));
        });
    String statusUrl = URI.create(base + "/").resolve(location).toString();
    BulkManifest.requireSameOrigin(base, statusUrl, "the status");
    return statusUrl;
  }

  /** One status poll: the manifest, or the progress and the wait the server asks for. */
  private record Poll(BulkManifest manifest, String progress, Duration pause) {}

  /**
   * Polls the job until its manifest is ready; reports each {@code X-Progress} to
   * {@code progress}.
   *
   * @throws DeadlineException when the next wait would pass {@code deadline} (counted from now)
   */
  BulkManifest awaitManifest(String statusUrl, Duration deadline, Consumer<String> progress)
      throws IOException {
    long end = System.nanoTime() + deadline.toNanos();
    for (int polls = 1; ; polls++) {
      Poll poll = http.exchange(FhirHttp.Call.get(statusUrl, "application/json"),
          BulkExportClient::readStatus);
      if (poll.manifest() != null) {
        return poll.manifest();
      }
      progress.accept(poll.progress());
      long waitNanos = poll.pause().toNanos();
      if (System.nanoTime() + waitNanos > end) {
        throw new DeadlineException("the export job did not finish within the poll deadline "
            + deadline + " (" + polls + " poll(s)); raise the source's poll_deadline");
      }
      try {
        Thread.sleep(poll.pause().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }

  private static Poll readStatus(int status, HttpHeaders headers, InputStream body)
      throws IOException {
    if (status == 200) {
      return new Poll(BulkManifest.parse(JSON.readTree(body)), null, null);
    }
    if (status != 202) {
      throw new FhirHttp.BadResponseException("the export status answered HTTP " + status
          + " (expected 202 in progress or 200 complete)");
    }
    body.transferTo(java.io.OutputStream.nullOutputStream());
    Duration wait = FhirHttp.retryAfterMillis(headers).map(Duration::ofMillis)
        .orElse(DEFAULT_POLL_WAIT);
    wait = wait.compareTo(MAX_POLL_WAIT) > 0 ? MAX_POLL_WAIT
        : wait.compareTo(MIN_POLL_WAIT) < 0 ? MIN_POLL_WAIT : wait;
    String progress = headers.firstValue("X-Progress").orElse("in progress");
    return new Poll(null, progress.length() > 100 ? progress.substring(0, 100) : progress, wait);
  }

  /**
   * Streams the lines of one file to {@code sink} within {@link NdjsonFilePull#MAX_LINE_BYTES}:
   * NDJSON when the server honours {@code Accept: application/fhir+ndjson}, or the base64
   * content of a Binary resource (HAPI's {@code Binary/<id>} files otherwise). A download cut
   * off mid-file is retried and skips the lines already handed on. Returns the lines read.
   */
  long download(BulkFile file, NdjsonFilePull.Sink sink) throws IOException {
    long[] handedOn = {0};
    http.exchange(new FhirHttp.Call("GET", file.url(), NDJSON, java.util.Map.of(),
        file.requiresAccessToken(), true), (status, headers, body) -> {
          long skip = handedOn[0];
          String type = headers.firstValue("Content-Type").orElse("").toLowerCase();
          if (type.contains("ndjson")) {
            readLines(new BufferedInputStream(body, 1 << 16), skip, handedOn, sink);
          } else if (type.startsWith("application/fhir+json")
              || type.startsWith("application/json")) {
            readBinary(body, skip, handedOn, sink);
          } else {
            throw new FhirHttp.BadResponseException("the export file came as '"
                + (type.length() > 60 ? type.substring(0, 60) : type)
                + "', neither NDJSON nor a FHIR Binary");
          }
          return null;
        });
    return handedOn[0];
  }

  private static void readLines(InputStream in, long skip, long[] handedOn,
      NdjsonFilePull.Sink sink) throws IOException {
    BoundedLineReader reader = new BoundedLineReader(in, NdjsonFilePull.MAX_LINE_BYTES);
    long n = 0;
    for (BoundedLineReader.Line line = reader.next(); line != null; line = reader.next()) {
      if (++n <= skip) {
        continue;
      }
      switch (line.kind()) {
        case TEXT -> sink.accept(line.bytes());
        case TOO_LARGE -> sink.refuse(Reason.RECORD_TOO_LARGE, line.number());
        case INVALID_UTF8 -> sink.refuse(Reason.INVALID_UTF8, line.number());
      }
      handedOn[0] = n;
    }
  }

  /**
   * Streams the base64 {@code data} of a Binary resource through a decoder, never holding the
   * file whole: Jackson reads up to the start of the string, and the string's bytes are then
   * taken straight from the response. The Binary's resourceType must come before its data
   * (as FHIR JSON puts it).
   */
  private static void readBinary(InputStream body, long skip, long[] handedOn,
      NdjsonFilePull.Sink sink) throws IOException {
    JsonParser p = JSON.getFactory().createParser(body);
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw new FhirHttp.BadResponseException("the export file is not a JSON object");
    }
    boolean binary = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("resourceType")) {
        binary = p.getText().equals("Binary");
      } else if (field.equals("data") && p.currentToken() == JsonToken.VALUE_STRING) {
        if (!binary) {
          throw new FhirHttp.BadResponseException("the export file is not a FHIR Binary (or "
              + "its data come before its resourceType)");
        }
        ByteArrayOutputStream buffered = new ByteArrayOutputStream();
        p.releaseBuffered(buffered); // what Jackson read ahead: the string's first bytes
        InputStream string = new JsonStringBytes(new SequenceInputStream(
            new ByteArrayInputStream(buffered.toByteArray()), body));
        readLines(new BufferedInputStream(Base64.getDecoder().wrap(string), 1 << 16), skip,
            handedOn, sink);
        return;
      } else {
        p.skipChildren();
      }
    }
    throw new FhirHttp.BadResponseException(binary ? "the export file's Binary has no data"
        : "the export file is JSON but not a FHIR Binary");
  }

  /** The bytes of a JSON string up to its closing quote; base64 needs no escapes. */
  private static final class JsonStringBytes extends FilterInputStream {
    private boolean ended;

    JsonStringBytes(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (ended) {
        return -1;
      }
      int n = in.read(b, off, len);
      if (n < 0) {
        throw new java.io.EOFException("the Binary's data end before their closing quote");
      }
      for (int i = off; i < off + n; i++) {
        if (b[i] == '"') {
          ended = true;
          return i - off == 0 ? -1 : i - off;
        }
        if (b[i] == '\\') {
          throw new FhirHttp.BadResponseException("the Binary's base64 data hold JSON escapes");
        }
      }
      return n;
    }
  }

  /**
   * How the server took the DELETE of a job.
   *
   * @param deleted false when the server had nothing to delete (HTTP 404: HAPI FHIR JPA so
   *     answers for a job that completed; it keeps the files until its own retention ends)
   * @param reason the server's own words when it had nothing to delete (its OperationOutcome's
   *     diagnostics, at most {@link #MAX_REASON} characters), else null
   */
  record Deletion(boolean deleted, String reason) {}

  /** The most of a server's reason kept: it is logged, and only at debug. */
  static final int MAX_REASON = 300;

  /** Deletes the job on the server (spec: the client signals it no longer needs the files). */
  Deletion delete(String statusUrl) throws IOException {
    return http.exchange(new FhirHttp.Call("DELETE", statusUrl, FhirHttp.FHIR_JSON,
        java.util.Map.of(), true, false),
        (status, headers, body) -> status == 404 ? new Deletion(false, reason(body))
            : new Deletion(true, null));
  }

  /** The diagnostics of an OperationOutcome body, shortened; "(none)" when there are none. */
  private static String reason(InputStream body) {
    try {
      byte[] head = body.readNBytes(64 * 1024);
      StringBuilder text = new StringBuilder();
      for (com.fasterxml.jackson.databind.JsonNode issue : JSON.readTree(head).path("issue")) {
        String diagnostics = issue.path("diagnostics").asText("");
        if (!diagnostics.isEmpty()) {
          text.append(text.length() == 0 ? "" : "; ").append(diagnostics);
        }
      }
      String reason = text.length() == 0 ? "(none)" : text.toString();
      return reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON) + "...";
    } catch (IOException | RuntimeException e) {
      return "(not an OperationOutcome)";
    }
  }
}
