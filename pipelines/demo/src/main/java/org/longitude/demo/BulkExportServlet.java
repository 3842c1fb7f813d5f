package org.longitude.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A demo clinic's FHIR Bulk Data {@code $export} (system level): kick-off with {@code _type},
 * {@code _since} and {@code _typeFilter} (Observation and Condition by {@code code}), status
 * polls, output and error files as {@code Binary/<id>} URLs, and job deletion. The export is
 * a snapshot of the store at kick-off; behaviour follows the clinic's {@link ExportPlan}.
 */
final class BulkExportServlet extends HttpServlet {
  static final String NDJSON = "application/fhir+ndjson";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One output or error file: the JSON lines it serves. */
  private record ExportFile(String job, String type, List<String> lines) {}

  /** One job: its files, the polls still to answer 202, and its manifest's facts. */
  private record Job(String request, Instant transactionTime, List<String> outputIds,
      List<String> errorIds, AtomicInteger pollsLeft) {}

  private final ResourceStore store;
  private final ExportPlan plan;
  private final Clock clock;
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();
  private final Map<String, ExportFile> files = new ConcurrentHashMap<>();
  private final AtomicInteger started = new AtomicInteger();
  private final AtomicInteger deleted = new AtomicInteger();
  private final AtomicInteger polls = new AtomicInteger();

  BulkExportServlet(ResourceStore store, ExportPlan plan, Clock clock) {
    this.store = store;
    this.plan = plan;
    this.clock = clock;
  }

  int started() {
    return started.get();
  }

  int deleted() {
    return deleted.get();
  }

  int polls() {
    return polls.get();
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String path = path(request);
    if (path.equals("/$export")) {
      kickOff(request, response);
    } else if (path.startsWith("/$export-status/")) {
      status(request, response, path.substring("/$export-status/".length()));
    } else if (path.startsWith("/Binary/")) {
      file(request, response, path.substring("/Binary/".length()));
    } else {
      outcome(response, 404, "not-supported", "this clinic offers only system-level $export");
    }
  }

  @Override
  protected void doDelete(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String path = path(request);
    Job job = path.startsWith("/$export-status/")
        ? jobs.remove(path.substring("/$export-status/".length())) : null;
    if (job == null) {
      outcome(response, 404, "not-found", "no such export job");
      return;
    }
    job.outputIds().forEach(files::remove);
    job.errorIds().forEach(files::remove);
    deleted.incrementAndGet();
    response.setStatus(202);
  }

  private static String path(HttpServletRequest request) {
    return request.getRequestURI().substring(request.getContextPath().length())
        .replaceFirst("^/fhir", "");
  }

  private String base(HttpServletRequest request) {
    return request.getScheme() + "://" + request.getServerName() + ":" + request.getServerPort()
        + "/fhir";
  }

  private void kickOff(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (!"respond-async".equals(request.getHeader("Prefer"))) {
      outcome(response, 400, "invalid", "$export requires the header Prefer: respond-async");
      return;
    }
    Set<String> types = new LinkedHashSet<>(NdjsonExport.RESOURCE_TYPES);
    String typeParam = request.getParameter("_type");
    if (typeParam != null) {
      types = new LinkedHashSet<>(Arrays.asList(typeParam.split(",")));
      if (!NdjsonExport.RESOURCE_TYPES.containsAll(types)) {
        outcome(response, 400, "not-supported", "_type may name only "
            + NdjsonExport.RESOURCE_TYPES);
        return;
      }
    }
    long since = Long.MIN_VALUE;
    if (request.getParameter("_since") != null) {
      try {
        since = Instant.parse(request.getParameter("_since")).toEpochMilli();
      } catch (DateTimeParseException e) {
        outcome(response, 400, "invalid", "_since is not an instant");
        return;
      }
    }
    Map<String, Predicate<ResourceStore.Entry>> filters;
    try {
      filters = typeFilters(request.getParameterValues("_typeFilter"));
    } catch (IllegalArgumentException e) {
      outcome(response, 400, "not-supported", e.getMessage());
      return;
    }
    String jobId = UUID.randomUUID().toString();
    List<String> outputIds = new ArrayList<>();
    for (String type : types) {
      // At or after _since: a change in the same millisecond as the last run's
      // transactionTime must not be lost (the client merges repeats by id).
      List<ResourceStore.Entry> entries = store.search(type, since, Long.MAX_VALUE,
          filters.getOrDefault(type, e -> true));
      for (int from = 0; from < entries.size(); from += plan.resourcesPerFile()) {
        List<String> lines = entries.subList(from,
            Math.min(entries.size(), from + plan.resourcesPerFile())).stream()
            .map(ResourceStore.Entry::json).toList();
        outputIds.add(addFile(new ExportFile(jobId, type, lines)));
      }
    }
    List<String> errorIds = new ArrayList<>();
    if (plan.errors() > 0) {
      List<String> outcomes = new ArrayList<>();
      for (int i = 0; i < plan.errors(); i++) {
        outcomes.add("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":"
            + "\"error\",\"code\":\"processing\",\"diagnostics\":\"injected export error\"}]}");
      }
      errorIds.add(addFile(new ExportFile(jobId, "OperationOutcome", outcomes)));
    }
    String query = request.getQueryString();
    jobs.put(jobId, new Job(base(request) + "/$export" + (query == null ? "" : "?" + query),
        clock.instant(), outputIds, errorIds, new AtomicInteger(plan.polls())));
    started.incrementAndGet();
    response.setStatus(202);
    response.setHeader("Content-Location", base(request) + "/$export-status/" + jobId);
  }

  private String addFile(ExportFile file) {
    String id = UUID.randomUUID().toString();
    files.put(id, file);
    return id;
  }

  /**
   * {@code _typeFilter}: comma-separated queries, each URL-encoded, of the form
   * {@code Type?code=system|code,...}; queries for one type are alternatives.
   */
  private static Map<String, Predicate<ResourceStore.Entry>> typeFilters(String[] values) {
    Map<String, Set<String>> codes = new HashMap<>();
    if (values != null) {
      for (String value : values) {
        for (String query : value.split(",")) {
          String decoded = URLDecoder.decode(query, StandardCharsets.UTF_8);
          int q = decoded.indexOf('?');
          if (q < 1) {
            throw new IllegalArgumentException("_typeFilter must be Type?code=...");
          }
          String type = decoded.substring(0, q);
          for (String param : decoded.substring(q + 1).split("&")) {
            if (!param.startsWith("code=")) {
              throw new IllegalArgumentException("_typeFilter supports only the code parameter");
            }
            codes.computeIfAbsent(type, t -> new HashSet<>()).addAll(Arrays.asList(
                URLDecoder.decode(param.substring(5), StandardCharsets.UTF_8).split(",")));
          }
        }
      }
    }
    Map<String, Predicate<ResourceStore.Entry>> filters = new HashMap<>();
    codes.forEach((type, wanted) -> filters.put(type,
        e -> Arrays.stream(e.codes).anyMatch(wanted::contains)));
    return filters;
  }

  private void status(HttpServletRequest request, HttpServletResponse response, String jobId)
      throws IOException {
    Job job = jobs.get(jobId);
    if (job == null) {
      outcome(response, 404, "not-found", "no such export job");
      return;
    }
    polls.incrementAndGet();
    int left = job.pollsLeft().getAndDecrement();
    if (left > 0) {
      response.setStatus(202);
      response.setHeader("X-Progress", "preparing files (" + (plan.polls() - left + 1) + " of "
          + plan.polls() + " polls)");
      response.setHeader("Retry-After", Integer.toString(plan.retryAfterSeconds()));
      return;
    }
    String fileBase = plan.fileBase() == null ? base(request) : plan.fileBase();
    ObjectNode manifest = JSON.createObjectNode()
        .put("transactionTime", job.transactionTime().toString())
        .put("request", job.request())
        .put("requiresAccessToken", true);
    ArrayNode output = manifest.putArray("output");
    for (String id : job.outputIds()) {
      ExportFile f = files.get(id);
      output.addObject().put("type", f.type()).put("url", fileBase + "/Binary/" + id)
          .put("count", f.lines().size());
    }
    ArrayNode error = manifest.putArray("error");
    for (String id : job.errorIds()) {
      error.addObject().put("type", "OperationOutcome").put("url", fileBase + "/Binary/" + id);
    }
    response.setStatus(200);
    response.setContentType("application/json;charset=UTF-8");
    JSON.writeValue(response.getOutputStream(), manifest);
  }

  /** NDJSON when asked for it; otherwise, as HAPI FHIR does, a Binary with base64 data. */
  private void file(HttpServletRequest request, HttpServletResponse response, String id)
      throws IOException {
    ExportFile file = files.get(id);
    if (file == null) {
      outcome(response, 404, "not-found", "no such export file");
      return;
    }
    String accept = request.getHeader("Accept");
    boolean ndjson = !plan.binary() && accept != null && accept.contains(NDJSON);
    OutputStream out = response.getOutputStream();
    response.setStatus(200);
    if (ndjson) {
      response.setContentType(NDJSON);
      writeLines(file, out);
      return;
    }
    response.setContentType("application/fhir+json;charset=UTF-8");
    out.write(("{\"resourceType\":\"Binary\",\"id\":\"" + id + "\",\"contentType\":\"" + NDJSON
        + "\",\"data\":\"").getBytes(StandardCharsets.UTF_8));
    // Streamed through the encoder; the wrapper keeps the response open when it closes.
    try (OutputStream base64 = java.util.Base64.getEncoder().wrap(new KeepOpen(out))) {
      writeLines(file, base64);
    }
    out.write("\"}".getBytes(StandardCharsets.UTF_8));
  }

  /** Passes writes through; closing it only flushes. */
  private static final class KeepOpen extends FilterOutputStream {
    KeepOpen(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  private static void writeLines(ExportFile file, OutputStream out) throws IOException {
    for (String line : file.lines()) {
      out.write(line.getBytes(StandardCharsets.UTF_8));
      out.write('\n');
    }
  }

  private static void outcome(HttpServletResponse response, int status, String code,
      String text) throws IOException {
    response.setStatus(status);
    response.setContentType("application/fhir+json;charset=UTF-8");
    response.getWriter().write("{\"resourceType\":\"OperationOutcome\",\"issue\":[{"
        + "\"severity\":\"error\",\"code\":\"" + code + "\",\"diagnostics\":\"" + text + "\"}]}");
  }
}
