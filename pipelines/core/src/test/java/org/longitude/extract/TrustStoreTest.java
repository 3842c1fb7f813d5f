package org.longitude.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.longitude.config.Source;

/**
 * A clinic behind HTTPS with a self-signed certificate: trusted through the clinic's own
 * {@code trust_store}, refused with the JVM's default trust (verification is never off).
 * The certificate is made in the test with the JDK's keytool (BouncyCastle's certificate
 * builder is not on the classpath).
 */
class TrustStoreTest {
  private static final String BUNDLE = "{\"resourceType\":\"Bundle\",\"type\":\"searchset\","
      + "\"meta\":{\"lastUpdated\":\"2026-01-02T03:04:05.678+00:00\"},\"entry\":[{\"resource\":"
      + "{\"resourceType\":\"Patient\",\"id\":\"p1\"},\"search\":{\"mode\":\"match\"}}]}";

  @TempDir Path temp;
  private HttpsServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), output);
  }

  /** Serves one Bundle over HTTPS with a fresh self-signed certificate; returns the base URL. */
  private String serveHttps() throws Exception {
    Path serverStore = temp.resolve("server.p12");
    keytool("-genkeypair", "-alias", "clinic", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", serverStore.toString(),
        "-storepass", "server-pw", "-keypass", "server-pw");
    keytool("-exportcert", "-rfc", "-alias", "clinic", "-keystore", serverStore.toString(),
        "-storepass", "server-pw", "-file", temp.resolve("clinic.pem").toString());
    keytool("-importcert", "-noprompt", "-alias", "clinic", "-file",
        temp.resolve("clinic.pem").toString(), "-storetype", "PKCS12",
        "-keystore", temp.resolve("trust.p12").toString(), "-storepass", "trust-pw");
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(serverStore)) {
      keys.load(in, "server-pw".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, "server-pw".toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext("/fhir", exchange -> {
      byte[] body = BUNDLE.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/fhir+json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return "https://127.0.0.1:" + server.getAddress().getPort() + "/fhir";
  }

  private static PullTask task(Source source) {
    return new PullTask("secure", source, "Patient", "");
  }

  @Test
  void theClinicsTrustStoreVerifiesItsSelfSignedCertificate() throws Exception {
    String base = serveHttps();
    Files.writeString(temp.resolve("trust.pw"), "trust-pw\n");
    Source source = new Source(Source.Kind.FHIR_SEARCH, base, 10, null).withTrustStore(
        temp.resolve("trust.p12").toString(), null, temp.resolve("trust.pw").toString());
    List<String> got = new ArrayList<>();

    new FhirSearchPull(FhirHttp.forSource(source, Instant.now())).pull(task(source), got::add);

    assertEquals(1, got.size());
  }

  @Test
  void withoutTheTrustStoreTheCertificateIsRefused() throws Exception {
    String base = serveHttps();
    Source source = new Source(Source.Kind.FHIR_SEARCH, base, 10, null);
    FhirHttp http = new FhirHttp(new Retry(1, java.time.Duration.ofMillis(1),
        java.time.Duration.ofMillis(1)), java.time.Duration.ofSeconds(5),
        java.time.Duration.ofSeconds(10));
    PullFailedException e = assertThrows(PullFailedException.class,
        () -> new FhirSearchPull(http).pull(task(source), json -> { }));
    assertTrue(e.getMessage().contains("SSLHandshakeException"), e.getMessage());
  }

  @Test
  void aWrongTrustStorePasswordIsAClearErrorWithoutThePassword() throws Exception {
    serveHttps();
    Files.writeString(temp.resolve("wrong.pw"), "not-the-password");
    Source source = new Source(Source.Kind.FHIR_SEARCH, "https://127.0.0.1/fhir", 10, null)
        .withTrustStore(temp.resolve("trust.p12").toString(), null,
            temp.resolve("wrong.pw").toString());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> TrustStores.sslContext(source));
    assertTrue(e.getMessage().contains("cannot load trust store"), e.getMessage());
    assertTrue(!e.getMessage().contains("not-the-password"), e.getMessage());
  }
}
