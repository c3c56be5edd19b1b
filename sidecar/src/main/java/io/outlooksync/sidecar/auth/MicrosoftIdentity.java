package io.outlooksync.sidecar.auth;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLSocketFactory;

/**
 * How the sidecar signs users in at Microsoft: the app registration (client id and secret), where the
 * identity platform lives (authority base and tenant) and where it sends the browser back (Odoo's
 * {@code <web.base.url>/microsoft_account/authentication}, which forwards code and state to the sidecar).
 *
 * @param authorityBase {@code https://login.microsoftonline.com}, a national cloud's host, or the emulator
 * @param tenant {@code common}, {@code organizations}, {@code consumers} or a tenant id or domain
 * @param sslSocketFactory null in production (the JDK trust store); the emulator's trust in tests
 * @param instanceDiscovery true for Microsoft's clouds; false for any other host, which msal4j would
 *     otherwise look up at Microsoft
 */
public record MicrosoftIdentity(
    String authorityBase,
    String tenant,
    String clientId,
    String clientSecret,
    URI redirectUri,
    Set<String> scopes,
    SSLSocketFactory sslSocketFactory,
    boolean instanceDiscovery) {

  public static final String DEFAULT_AUTHORITY_BASE = "https://login.microsoftonline.com";
  public static final Set<String> DEFAULT_SCOPES = Set.of("offline_access", "openid", "profile", "Calendars.ReadWrite", "User.Read");

  /** Hosts of Microsoft's public and national clouds, where instance discovery is right. */
  private static final Set<String> MICROSOFT_HOSTS = Set.of(
      "login.microsoftonline.com", "login.microsoft.com", "login.windows.net", "login.microsoftonline.us",
      "login.partner.microsoftonline.cn", "login.chinacloudapi.cn");

  public MicrosoftIdentity {
    Objects.requireNonNull(authorityBase, "authorityBase");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(clientSecret, "clientSecret");
    Objects.requireNonNull(redirectUri, "redirectUri");
    if (!authorityBase.startsWith("https://")) {
      throw new IllegalArgumentException("the authority must be https:// (msal4j refuses anything else): " + authorityBase);
    }
    while (authorityBase.endsWith("/")) {
      authorityBase = authorityBase.substring(0, authorityBase.length() - 1);
    }
    if (tenant.isBlank() || tenant.contains("/")) {
      throw new IllegalArgumentException("not a tenant: '" + tenant + "'");
    }
    scopes = Set.copyOf(scopes == null || scopes.isEmpty() ? DEFAULT_SCOPES : scopes);
  }

  /** Microsoft's global cloud, multi-tenant, with the default scopes. */
  public static MicrosoftIdentity of(String clientId, String clientSecret, URI redirectUri) {
    return at(DEFAULT_AUTHORITY_BASE, "common", clientId, clientSecret, redirectUri, null);
  }

  /** Any authority; instance discovery is on exactly when the host is one of Microsoft's. */
  public static MicrosoftIdentity at(String authorityBase, String tenant, String clientId, String clientSecret, URI redirectUri,
      SSLSocketFactory sslSocketFactory) {
    return new MicrosoftIdentity(authorityBase, tenant, clientId, clientSecret, redirectUri, DEFAULT_SCOPES, sslSocketFactory,
        isMicrosoftCloud(authorityBase));
  }

  /** The authority URL msal4j wants, with its trailing slash: {@code https://host[:port]/tenant/}. */
  public String authority() {
    return authorityBase + "/" + tenant + "/";
  }

  public MicrosoftIdentity withClientSecret(String secret) {
    return new MicrosoftIdentity(authorityBase, tenant, clientId, secret, redirectUri, scopes, sslSocketFactory, instanceDiscovery);
  }

  public MicrosoftIdentity withTenant(String newTenant) {
    return new MicrosoftIdentity(authorityBase, newTenant, clientId, clientSecret, redirectUri, scopes, sslSocketFactory,
        instanceDiscovery);
  }

  static boolean isMicrosoftCloud(String authorityBase) {
    String host = URI.create(authorityBase).getHost();
    return host != null && MICROSOFT_HOSTS.contains(host.toLowerCase(Locale.ROOT));
  }

  /** Never prints the client secret. */
  @Override
  public String toString() {
    return "MicrosoftIdentity[authority=" + authority() + ", clientId=" + clientId + ", redirectUri=" + redirectUri
        + ", scopes=" + scopes + ", instanceDiscovery=" + instanceDiscovery + "]";
  }
}
