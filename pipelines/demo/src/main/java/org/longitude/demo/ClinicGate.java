package org.longitude.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

/**
 * The servlet filter in front of a demo clinic's FHIR server: serves the SMART token
 * endpoint, enforces the clinic's {@link ServerAuth}, and injects the faults of its
 * {@link FaultPlan}. Faults are applied before auth, as a load balancer in front would.
 */
final class ClinicGate implements Filter {
  static final String TOKEN_PATH = "/auth/token";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ASSERTION_TYPE =
      "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

  private final FaultPlan faults;
  private final ServerAuth auth;
  private final Clock clock;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong pageRequests = new AtomicLong();
  private final List<AtomicInteger> fired;
  private final Map<FaultPlan.Fault, AtomicInteger> injected = new ConcurrentHashMap<>();
  private final Map<String, Long> tokens = new ConcurrentHashMap<>();
  private final Set<String> usedJti = ConcurrentHashMap.newKeySet();
  private final AtomicInteger tokensIssued = new AtomicInteger();
  private final SecureRandom random = new SecureRandom();

  ClinicGate(FaultPlan faults, ServerAuth auth, Clock clock) {
    this.faults = faults;
    this.auth = auth;
    this.clock = clock;
    this.fired = faults.rules().stream().map(r -> new AtomicInteger()).toList();
  }

  /** How many times each fault was injected so far. */
  int injected(FaultPlan.Fault fault) {
    AtomicInteger n = injected.get(fault);
    return n == null ? 0 : n.get();
  }

  int tokensIssued() {
    return tokensIssued.get();
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    String path = request.getRequestURI();
    if (path.equals(TOKEN_PATH)) {
      token(request, response);
      return;
    }
    FaultPlan.Fault fault = nextFault(request);
    if (fault != null) {
      injected.computeIfAbsent(fault, f -> new AtomicInteger()).incrementAndGet();
      if (inject(fault, request, response, chain)) {
        return;
      }
    }
    if (!authorized(request)) {
      response.setStatus(401);
      response.setHeader("WWW-Authenticate", auth.kind() == ServerAuth.Kind.BASIC
          ? "Basic realm=\"demo\"" : "Bearer realm=\"demo\"");
      outcome(response, "security", "authentication required");
      return;
    }
    chain.doFilter(request, response);
  }

  private FaultPlan.Fault nextFault(HttpServletRequest request) {
    if (faults.isEmpty()) {
      return null;
    }
    long n = requests.incrementAndGet();
    boolean page = request.getParameter("_getpages") != null;
    long p = page ? pageRequests.incrementAndGet() : 0;
    for (int i = 0; i < faults.rules().size(); i++) {
      FaultPlan.Rule rule = faults.rules().get(i);
      if (rule.pagesOnly() && !page) {
        continue;
      }
      if (rule.matches(rule.pagesOnly() ? p : n) && fired.get(i).incrementAndGet() <= rule.times()) {
        return rule.fault();
      }
    }
    return null;
  }

  /** Applies a fault; returns true when the response is complete. */
  private boolean inject(FaultPlan.Fault fault, HttpServletRequest request,
      HttpServletResponse response, FilterChain chain) throws IOException, ServletException {
    switch (fault) {
      case SERVER_ERROR -> {
        response.setStatus(500);
        outcome(response, "exception", "injected server error");
      }
      case TOO_MANY_REQUESTS, UNAVAILABLE -> {
        response.setStatus(fault == FaultPlan.Fault.UNAVAILABLE ? 503 : 429);
        response.setHeader("Retry-After", Integer.toString(faults.retryAfterSeconds()));
        outcome(response, "throttled", "injected throttling");
      }
      case CONNECTION_RESET -> ServletContextRequest.getServletContextRequest(request)
          .getConnectionMetaData().getConnection().getEndPoint().close();
      case SLOW_RESPONSE -> {
        try {
          Thread.sleep(faults.slowMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return false;
      }
      case TRUNCATED_PAGE -> {
        Capture capture = new Capture(response);
        chain.doFilter(request, capture);
        byte[] body = capture.bytes();
        byte[] half = java.util.Arrays.copyOf(body, body.length / 2);
        response.setStatus(200);
        response.setContentType("application/fhir+json;charset=UTF-8");
        response.setContentLength(half.length);
        response.getOutputStream().write(half);
      }
      case NOT_JSON -> {
        response.setStatus(200);
        response.setContentType("text/html;charset=UTF-8");
        response.getWriter().write("<html><body><h1>502 Bad Gateway</h1></body></html>");
      }
      case NEXT_LINK_NOT_FOUND -> {
        response.setStatus(404);
        outcome(response, "not-found", "search result set not found");
      }
      case OPERATION_OUTCOME -> {
        response.setStatus(200);
        response.setContentType("application/fhir+json;charset=UTF-8");
        response.getWriter().write("{\"resourceType\":\"Bundle\",\"type\":\"searchset\","
            + "\"entry\":[{\"resource\":{\"resourceType\":\"OperationOutcome\",\"issue\":[{"
            + "\"severity\":\"error\",\"code\":\"processing\",\"diagnostics\":"
            + "\"injected search failure\"}]},\"search\":{\"mode\":\"outcome\"}}]}");
      }
    }
    return true;
  }

  private boolean authorized(HttpServletRequest request) {
    String header = request.getHeader("Authorization");
    return switch (auth.kind()) {
      case NONE -> true;
      case BASIC -> header != null && constantTimeEquals(header, "Basic " + Base64.getEncoder()
          .encodeToString((auth.username() + ":" + auth.secret())
              .getBytes(StandardCharsets.UTF_8)));
      case BEARER -> header != null && constantTimeEquals(header, "Bearer " + auth.secret());
      case SMART_BACKEND -> {
        if (header == null || !header.startsWith("Bearer ")) {
          yield false;
        }
        Long expires = tokens.get(header.substring("Bearer ".length()));
        yield expires != null && expires > clock.millis();
      }
    };
  }

  /** The SMART Backend Services token endpoint (client_credentials + JWT assertion). */
  private void token(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (auth.kind() != ServerAuth.Kind.SMART_BACKEND || !"POST".equals(request.getMethod())) {
      response.setStatus(404);
      return;
    }
    String error = checkTokenRequest(request);
    response.setContentType("application/json");
    if (error != null) {
      response.setStatus(error.equals("invalid_request") ? 400 : 401);
      response.getWriter().write("{\"error\":\"" + error + "\"}");
      return;
    }
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    long lifetime = auth.tokenLifetime().toSeconds();
    tokens.put(token, clock.millis() + lifetime * 1000);
    tokensIssued.incrementAndGet();
    response.setHeader("Cache-Control", "no-store");
    response.getWriter().write("{\"access_token\":\"" + token + "\",\"token_type\":\"bearer\","
        + "\"expires_in\":" + lifetime + ",\"scope\":\"system/*.read\"}");
  }

  /** Null when the request carries a valid assertion for the registered client. */
  private String checkTokenRequest(HttpServletRequest request) {
    if (!"client_credentials".equals(request.getParameter("grant_type"))
        || !ASSERTION_TYPE.equals(request.getParameter("client_assertion_type"))
        || request.getParameter("client_assertion") == null) {
      return "invalid_request";
    }
    String[] parts = request.getParameter("client_assertion").split("\\.", -1);
    if (parts.length != 3) {
      return "invalid_request";
    }
    try {
      Base64.Decoder b64 = Base64.getUrlDecoder();
      JsonNode header = JSON.readTree(b64.decode(parts[0]));
      JsonNode claims = JSON.readTree(b64.decode(parts[1]));
      String alg = header.path("alg").asText();
      Signature verifier;
      if (alg.equals("RS384") && auth.clientKey() instanceof RSAPublicKey) {
        verifier = Signature.getInstance("SHA384withRSA");
      } else if (alg.equals("ES384") && auth.clientKey() instanceof ECPublicKey) {
        verifier = Signature.getInstance("SHA384withECDSAinP1363Format");
      } else {
        return "invalid_client";
      }
      verifier.initVerify(auth.clientKey());
      verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!verifier.verify(b64.decode(parts[2]))) {
        return "invalid_client";
      }
      long now = clock.millis() / 1000;
      String audience = request.getRequestURL().toString();
      boolean ok = auth.clientId().equals(claims.path("iss").asText())
          && auth.clientId().equals(claims.path("sub").asText())
          && audience.equals(claims.path("aud").asText())
          && claims.path("exp").asLong() > now && claims.path("exp").asLong() <= now + 330
          && claims.hasNonNull("jti") && usedJti.add(claims.get("jti").asText());
      return ok ? null : "invalid_client";
    } catch (IOException | IllegalArgumentException | java.security.GeneralSecurityException e) {
      return "invalid_client";
    }
  }

  private static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8),
        b.getBytes(StandardCharsets.UTF_8));
  }

  private static void outcome(HttpServletResponse response, String code, String text)
      throws IOException {
    response.setContentType("application/fhir+json;charset=UTF-8");
    response.getWriter().write("{\"resourceType\":\"OperationOutcome\",\"issue\":[{"
        + "\"severity\":\"error\",\"code\":\"" + code + "\",\"diagnostics\":\"" + text + "\"}]}");
  }

  /** Buffers what the server writes, so a fault can alter it. */
  private static final class Capture extends HttpServletResponseWrapper {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private PrintWriter writer;
    private final ServletOutputStream stream = new ServletOutputStream() {
      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void setWriteListener(WriteListener listener) {}

      @Override
      public void write(int b) {
        buffer.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        buffer.write(b, off, len);
      }
    };

    Capture(HttpServletResponse response) {
      super(response);
    }

    @Override
    public ServletOutputStream getOutputStream() {
      return stream;
    }

    @Override
    public PrintWriter getWriter() {
      if (writer == null) {
        writer = new PrintWriter(new OutputStreamWriter(buffer, StandardCharsets.UTF_8));
      }
      return writer;
    }

    @Override
    public void setContentLength(int len) {}

    @Override
    public void setContentLengthLong(long len) {}

    @Override
    public void flushBuffer() {}

    byte[] bytes() {
      if (writer != null) {
        writer.flush();
      }
      return buffer.toByteArray();
    }
  }
}
