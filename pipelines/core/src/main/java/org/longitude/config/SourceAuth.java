package org.longitude.config;

import java.io.Serializable;

/**
 * How Longitude authenticates to a clinic's FHIR server. Holds only where secrets are (an
 * environment variable's name or a file's path), never a secret itself: secrets are read
 * where the pull runs and never logged.
 *
 * @param kind none, basic, bearer or smart-backend
 * @param username for basic
 * @param passwordEnv environment variable holding the basic password
 * @param passwordFile file holding the basic password (relative to the study file)
 * @param tokenEnv environment variable holding the static bearer token
 * @param tokenFile file holding the static bearer token (relative to the study file)
 * @param clientId SMART Backend Services client id (iss and sub of the assertion)
 * @param tokenUrl SMART token endpoint (aud of the assertion)
 * @param privateKeyFile PKCS#8 PEM private key signing the assertion (relative to the study file)
 * @param algorithm RS384 (RSA key) or ES384 (EC P-384 key)
 * @param scope requested scope; default {@code system/*.read}
 */
public record SourceAuth(
    Kind kind,
    String username,
    String passwordEnv,
    String passwordFile,
    String tokenEnv,
    String tokenFile,
    String clientId,
    String tokenUrl,
    String privateKeyFile,
    String algorithm,
    String scope) implements Serializable {

  /** The kinds of auth. */
  public enum Kind {
    NONE,
    BASIC,
    BEARER,
    SMART_BACKEND;

    @com.fasterxml.jackson.annotation.JsonCreator
    public static Kind parse(String text) {
      for (Kind k : values()) {
        if (k.name().replace('_', '-').equalsIgnoreCase(text)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown auth kind '" + text
          + "' (expected none, basic, bearer or smart-backend)");
    }
  }

  public static SourceAuth basic(String username, String passwordEnv, String passwordFile) {
    return new SourceAuth(Kind.BASIC, username, passwordEnv, passwordFile, null, null, null,
        null, null, null, null);
  }

  public static SourceAuth bearer(String tokenEnv, String tokenFile) {
    return new SourceAuth(Kind.BEARER, null, null, null, tokenEnv, tokenFile, null, null, null,
        null, null);
  }

  public static SourceAuth smartBackend(String clientId, String tokenUrl, String privateKeyFile,
      String algorithm) {
    return new SourceAuth(Kind.SMART_BACKEND, null, null, null, null, null, clientId, tokenUrl,
        privateKeyFile, algorithm, null);
  }

  public String scopeOrDefault() {
    return scope == null ? "system/*.read" : scope;
  }

  /** This auth with relative file paths resolved by {@code resolve}. */
  public SourceAuth withFiles(java.util.function.UnaryOperator<String> resolve) {
    return new SourceAuth(kind, username, passwordEnv, resolveOrNull(resolve, passwordFile),
        tokenEnv, resolveOrNull(resolve, tokenFile), clientId, tokenUrl,
        resolveOrNull(resolve, privateKeyFile), algorithm, scope);
  }

  private static String resolveOrNull(java.util.function.UnaryOperator<String> f, String path) {
    return path == null ? null : f.apply(path);
  }
}
