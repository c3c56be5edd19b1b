package io.outlooksync.sidecar.odoo;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where Odoo is and who the sidecar is there: the base URL (http or https, without /xmlrpc), the database, the
 * service user's login and its API key, and how long to wait for a connection and for a reply.
 */
public record OdooConfig(URI url, String database, String login, String apiKey, Duration connectTimeout,
    Duration replyTimeout) {
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofSeconds(60);

  public OdooConfig {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(login, "login");
    Objects.requireNonNull(apiKey, "apiKey");
    if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
      throw new IllegalArgumentException("Odoo's URL must be http or https: " + url);
    }
    if (connectTimeout == null) {
      connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    }
    if (replyTimeout == null) {
      replyTimeout = DEFAULT_REPLY_TIMEOUT;
    }
  }

  public static OdooConfig of(String url, String database, String login, String apiKey) {
    return new OdooConfig(URI.create(url), database, login, apiKey, null, null);
  }

  public OdooConfig withTimeouts(Duration connect, Duration reply) {
    return new OdooConfig(url, database, login, apiKey, connect, reply);
  }

  /** Without the key: configs end up in logs. */
  @Override
  public String toString() {
    return "OdooConfig[url=" + url + ", database=" + database + ", login=" + login + ", connectTimeout="
        + connectTimeout + ", replyTimeout=" + replyTimeout + "]";
  }
}
