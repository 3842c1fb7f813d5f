package org.longitude.demo;

import java.security.PublicKey;
import java.time.Duration;
import java.util.Objects;

/**
 * What a demo clinic requires of its clients: nothing, HTTP basic, a static bearer token, or
 * SMART Backend Services (an access token from the clinic's own token endpoint,
 * {@code <root>/auth/token}, obtained with a client-credentials grant and a JWT assertion
 * signed with the client's key, RS384 or ES384).
 */
public final class ServerAuth {

  /** The kinds of auth. */
  public enum Kind { NONE, BASIC, BEARER, SMART_BACKEND }

  private static final ServerAuth NONE = new ServerAuth(Kind.NONE, null, null, null, null, null);

  private final Kind kind;
  private final String username;
  private final String secret;
  private final String clientId;
  private final PublicKey clientKey;
  private final Duration tokenLifetime;

  private ServerAuth(Kind kind, String username, String secret, String clientId,
      PublicKey clientKey, Duration tokenLifetime) {
    this.kind = kind;
    this.username = username;
    this.secret = secret;
    this.clientId = clientId;
    this.clientKey = clientKey;
    this.tokenLifetime = tokenLifetime;
  }

  public static ServerAuth none() {
    return NONE;
  }

  public static ServerAuth basic(String username, String password) {
    return new ServerAuth(Kind.BASIC, Objects.requireNonNull(username),
        Objects.requireNonNull(password), null, null, null);
  }

  public static ServerAuth bearer(String token) {
    return new ServerAuth(Kind.BEARER, null, Objects.requireNonNull(token), null, null, null);
  }

  /**
   * SMART Backend Services for one registered client: its id and public key (RSA for RS384,
   * EC P-384 for ES384); access tokens live {@code tokenLifetime}.
   */
  public static ServerAuth smartBackend(String clientId, PublicKey clientKey,
      Duration tokenLifetime) {
    return new ServerAuth(Kind.SMART_BACKEND, null, null, Objects.requireNonNull(clientId),
        Objects.requireNonNull(clientKey), Objects.requireNonNull(tokenLifetime));
  }

  public Kind kind() {
    return kind;
  }

  String username() {
    return username;
  }

  String secret() {
    return secret;
  }

  String clientId() {
    return clientId;
  }

  PublicKey clientKey() {
    return clientKey;
  }

  Duration tokenLifetime() {
    return tokenLifetime;
  }

  @Override
  public String toString() {
    return "ServerAuth[" + kind + "]"; // never the secret
  }
}
