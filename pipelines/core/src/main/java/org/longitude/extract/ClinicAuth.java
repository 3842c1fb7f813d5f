package org.longitude.extract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import org.longitude.config.SourceAuth;

/**
 * The {@code Authorization} header for one clinic: none, HTTP basic, a static bearer token, or
 * a SMART Backend Services access token (client-credentials grant with a JWT assertion signed
 * RS384 or ES384), cached and refreshed before it expires. Secrets are read from the
 * environment variable or file the config names, once, when the client is built; they never
 * appear in messages. Thread-safe.
 */
abstract class ClinicAuth {
  /** Refresh a SMART token when less than this is left of its life (or a fifth of it). */
  static final Duration REFRESH_MARGIN = Duration.ofSeconds(60);

  /** The header value, or null for no auth. */
  abstract String header() throws IOException;

  /** The server answered 401: drop any cached token; true when a retry may succeed. */
  boolean rejected() {
    return false;
  }

  static ClinicAuth none() {
    return new ClinicAuth() {
      @Override
      String header() {
        return null;
      }
    };
  }

  /** Builds the auth a source asks for; {@code http} carries SMART token requests. */
  static ClinicAuth of(SourceAuth config, HttpClient http, Duration timeout, Clock clock) {
    if (config == null || config.kind() == SourceAuth.Kind.NONE) {
      return none();
    }
    return switch (config.kind()) {
      case NONE -> none();
      case BASIC -> {
        String password = secret("password", config.passwordEnv(), config.passwordFile());
        String value = "Basic " + Base64.getEncoder().encodeToString(
            (config.username() + ":" + password).getBytes(StandardCharsets.UTF_8));
        yield fixed(value);
      }
      case BEARER -> fixed("Bearer " + secret("token", config.tokenEnv(), config.tokenFile()));
      case SMART_BACKEND -> new SmartBackend(config, privateKey(config), http, timeout, clock);
    };
  }

  private static ClinicAuth fixed(String value) {
    return new ClinicAuth() {
      @Override
      String header() {
        return value;
      }

      @Override
      public String toString() {
        return "ClinicAuth[fixed]";
      }
    };
  }

  /** A secret from an environment variable or a file (trimmed); names only in errors. */
  static String secret(String what, String env, String file) {
    if (env != null) {
      String value = System.getenv(env);
      if (value == null || value.isBlank()) {
        throw new IllegalStateException("the " + what + " environment variable " + env
            + " is not set");
      }
      return value.trim();
    }
    try {
      return Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the " + what + " file " + file, e);
    }
  }

  static PrivateKey privateKey(SourceAuth config) {
    String pem = secret("private key", null, config.privateKeyFile());
    if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
      throw new IllegalStateException("private key file " + config.privateKeyFile()
          + " is not a PKCS#8 PEM key ('-----BEGIN PRIVATE KEY-----'); convert it with "
          + "'openssl pkcs8 -topk8 -nocrypt'");
    }
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    try {
      KeyFactory factory = KeyFactory.getInstance(
          "ES384".equals(config.algorithm()) ? "EC" : "RSA");
      return factory.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("private key file " + config.privateKeyFile()
          + " does not hold " + ("ES384".equals(config.algorithm()) ? "an EC" : "an RSA")
          + " key for " + config.algorithm());
    }
  }

  /** SMART Backend Services: a cached access token, refreshed before expiry. */
  static final class SmartBackend extends ClinicAuth {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SourceAuth config;
    private final PrivateKey key;
    private final HttpClient http;
    private final Duration timeout;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private String token;
    private long refreshAt;

    SmartBackend(SourceAuth config, PrivateKey key, HttpClient http, Duration timeout,
        Clock clock) {
      this.config = config;
      this.key = key;
      this.http = http;
      this.timeout = timeout;
      this.clock = clock;
    }

    @Override
    synchronized String header() throws IOException {
      if (token == null || clock.millis() >= refreshAt) {
        fetch();
      }
      return "Bearer " + token;
    }

    @Override
    synchronized boolean rejected() {
      token = null;
      return true;
    }

    private void fetch() throws IOException {
      long now = clock.millis();
      String form = "grant_type=client_credentials"
          + "&scope=" + URLEncoder.encode(config.scopeOrDefault(), StandardCharsets.UTF_8)
          + "&client_assertion_type="
          + URLEncoder.encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
              StandardCharsets.UTF_8)
          + "&client_assertion=" + assertion(now);
      HttpRequest request = HttpRequest.newBuilder(URI.create(config.tokenUrl()))
          .timeout(timeout)
          .header("Content-Type", "application/x-www-form-urlencoded")
          .header("Accept", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(form)).build();
      HttpResponse<String> response;
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      if (response.statusCode() != 200) {
        // The body is an OAuth error code at most; it is not echoed (it may quote the request).
        throw new AuthException("the token endpoint " + config.tokenUrl() + " refused client '"
            + config.clientId() + "' (HTTP " + response.statusCode() + ")");
      }
      JsonNode body = JSON.readTree(response.body());
      String accessToken = body.path("access_token").asText(null);
      if (accessToken == null) {
        throw new AuthException("the token endpoint " + config.tokenUrl()
            + " answered without an access_token");
      }
      long lifetime = body.path("expires_in").asLong(300) * 1000;
      long margin = Math.min(REFRESH_MARGIN.toMillis(), lifetime / 5);
      token = accessToken;
      refreshAt = now + lifetime - margin;
    }

    /** The signed client assertion (header.claims.signature, base64url). */
    private String assertion(long nowMillis) throws IOException {
      Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
      byte[] jti = new byte[16];
      random.nextBytes(jti);
      long now = nowMillis / 1000;
      String header = "{\"alg\":\"" + config.algorithm() + "\",\"typ\":\"JWT\"}";
      String claims = JSON.createObjectNode()
          .put("iss", config.clientId()).put("sub", config.clientId())
          .put("aud", config.tokenUrl()).put("exp", now + 300).put("iat", now)
          .put("jti", b64.encodeToString(jti)).toString();
      String signingInput = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
          + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
      try {
        Signature signer = Signature.getInstance("ES384".equals(config.algorithm())
            ? "SHA384withECDSAinP1363Format" : "SHA384withRSA");
        signer.initSign(key);
        signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + b64.encodeToString(signer.sign());
      } catch (GeneralSecurityException e) {
        throw new AuthException("cannot sign the client assertion with " + config.algorithm()
            + ": " + e.getClass().getSimpleName());
      }
    }

    @Override
    public String toString() {
      return "ClinicAuth[smart-backend " + config.clientId() + "]";
    }
  }

  /** Authentication failed for good: retrying does not help. */
  static final class AuthException extends IOException {
    AuthException(String message) {
      super(message);
    }
  }
}
