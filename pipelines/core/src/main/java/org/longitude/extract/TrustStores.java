package org.longitude.extract;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.longitude.config.Source;

/**
 * The TLS context of a clinic with its own trust store ({@code trust_store}, PKCS#12): the
 * server's certificate is verified against that store's certificates, with the JDK's usual
 * host name checks. There is no switch that turns verification off.
 */
final class TrustStores {
  private TrustStores() {}

  /** Null (the JVM's default trust) when the source names no trust store. */
  static SSLContext sslContext(Source source) {
    if (source.trustStore() == null) {
      return null;
    }
    char[] password = ClinicAuth.secret("trust store password", source.trustStorePasswordEnv(),
        source.trustStorePasswordFile()).toCharArray();
    try (InputStream in = Files.newInputStream(Path.of(source.trustStore()))) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
      if (store.size() == 0) {
        throw new IllegalStateException("trust store " + source.trustStore()
            + " holds no certificate");
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      // The class only: a wrong password and a corrupt file both surface as IOException.
      throw new IllegalStateException("cannot load trust store " + source.trustStore()
          + " (PKCS#12; check the file and its password): " + e.getClass().getSimpleName(), e);
    }
  }
}
