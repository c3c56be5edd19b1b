package io.outlooksync.sidecar.app;

import io.outlooksync.sidecar.api.SignInEndpoints;
import io.outlooksync.sidecar.auth.AccessTokens;
import io.outlooksync.sidecar.auth.MicrosoftIdentity;
import io.outlooksync.sidecar.auth.MsalApps;
import io.outlooksync.sidecar.auth.SignIn;
import io.outlooksync.sidecar.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The sidecar's side of Microsoft sign-in, built from the live configuration: once client id, secret and
 * redirect URI are known, one {@link MsalApps} with its {@link SignIn} and {@link AccessTokens}; rebuilt when the
 * addon pushes new Microsoft settings.
 */
final class MicrosoftAccess implements SignInEndpoints.Source {
  private final Store store;
  private final Supplier<Config> config;
  private final Clock clock;
  private MicrosoftIdentity identity;
  private MsalApps apps;
  private SignIn signIn;
  private AccessTokens tokens;
  private String caFile;
  private SSLSocketFactory caFactory;

  MicrosoftAccess(Store store, Supplier<Config> config, Clock clock) {
    this.store = store;
    this.config = config;
    this.clock = clock;
  }

  @Override
  public synchronized Optional<SignIn> signIn() {
    refresh();
    return Optional.ofNullable(signIn);
  }

  synchronized Optional<AccessTokens> accessTokens() {
    refresh();
    return Optional.ofNullable(tokens);
  }

  @Override
  public List<String> missingForSignIn() {
    Config c = config.get();
    List<String> out = new ArrayList<>();
    if (c.get(Key.MS_CLIENT_ID).isEmpty()) {
      out.add(Key.MS_CLIENT_ID.id());
    }
    if (c.get(Key.MS_CLIENT_SECRET).isEmpty()) {
      out.add(Key.MS_CLIENT_SECRET.id());
    }
    if (c.redirectUri().isEmpty()) {
      out.add(Key.MS_REDIRECT_URI.id() + " (or " + Key.ODOO_URL.id() + ")");
    }
    return out;
  }

  private void refresh() {
    Config c = config.get();
    if (!missingForSignIn().isEmpty()) {
      return;
    }
    MicrosoftIdentity wanted = MicrosoftIdentity.at(c.get(Key.MS_AUTHORITY).orElse(MicrosoftIdentity.DEFAULT_AUTHORITY_BASE),
        c.get(Key.MS_TENANT).orElse("common"), c.get(Key.MS_CLIENT_ID).get(), c.get(Key.MS_CLIENT_SECRET).get(),
        URI.create(c.redirectUri().get()), trust(c.get(Key.MS_CA_FILE).orElse(null)));
    if (wanted.equals(identity)) {
      return;
    }
    if (apps == null) {
      apps = new MsalApps(store.secrets(), wanted);
      signIn = new SignIn(store, apps, clock);
      tokens = new AccessTokens(store, apps);
    } else {
      apps.reconfigure(wanted);
    }
    identity = wanted;
  }

  /** One socket factory per CA file, so an unchanged configuration compares equal and rebuilds nothing. */
  private SSLSocketFactory trust(String file) {
    if (file == null) {
      return null;
    }
    if (!file.equals(caFile)) {
      caFactory = socketFactoryTrusting(Path.of(file));
      caFile = file;
    }
    return caFactory;
  }

  /** Trusts the certificate in {@code pem} as well as the JDK's own authorities. */
  static SSLSocketFactory socketFactoryTrusting(Path pem) {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {trusting(pem)}, null);
      return ctx.getSocketFactory();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("ms_ca_file " + pem + " is not a usable certificate: " + e.getMessage(), e);
    }
  }

  /** A trust manager for the certificate in {@code pem} and the JDK's own authorities. */
  static X509TrustManager trusting(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      X509Certificate extra = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      ks.setCertificateEntry("extra", extra);
      X509TrustManager extraTm = trustManager(ks);
      X509TrustManager jdkTm = trustManager(null);
      return new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
          jdkTm.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
          try {
            extraTm.checkServerTrusted(chain, authType);
          } catch (CertificateException notOurs) {
            jdkTm.checkServerTrusted(chain, authType);
          }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          List<X509Certificate> all = new ArrayList<>(List.of(jdkTm.getAcceptedIssuers()));
          all.add(extra);
          return all.toArray(new X509Certificate[0]);
        }
      };
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("ms_ca_file " + pem + " is not a readable PEM certificate: " + e.getMessage(), e);
    }
  }

  private static X509TrustManager trustManager(KeyStore ks) throws GeneralSecurityException {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X509 trust manager");
  }
}
