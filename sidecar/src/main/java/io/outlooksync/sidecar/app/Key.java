package io.outlooksync.sidecar.app;

import java.util.Locale;
import java.util.Optional;

/**
 * Every configuration key. The same name is used in the config file ({@code odoo_url = ...}), in the
 * environment ({@code OUTLOOK_SYNC_ODOO_URL}) and in the addon's {@code configure} call (for the keys marked
 * {@code pushable}). Secret keys are never logged or shown.
 */
public enum Key {
  ODOO_URL(false, true, null, "Odoo base URL, e.g. https://odoo.example.com"),
  ODOO_DB(false, true, null, "Odoo database name"),
  ODOO_LOGIN(false, true, null, "login of the Odoo service user the sidecar acts as"),
  ODOO_API_KEY(true, true, null, "API key of that service user"),
  ODOO_PROTOCOL(false, true, "auto", "Odoo API: auto (JSON-2 for Odoo 19 and later, XML-RPC before), xmlrpc or json2"),
  MS_AUTHORITY(false, true, "https://login.microsoftonline.com", "Microsoft identity platform base URL"),
  MS_TENANT(false, true, "common", "tenant: common, organizations, consumers or a tenant id"),
  MS_CLIENT_ID(false, true, null, "application (client) id of the Entra ID app registration"),
  MS_CLIENT_SECRET(true, true, null, "client secret of that app registration"),
  MS_REDIRECT_URI(false, true, null, "redirect URI registered in Entra ID (default: <odoo_url>/microsoft_account/authentication; the addon pushes its web.base.url form)"),
  GRAPH_URL(false, true, "https://graph.microsoft.com/v1.0", "Microsoft Graph base URL (a national cloud's, or the emulator's)"),
  MS_CA_FILE(false, false, null, "PEM certificate to trust for Microsoft's endpoints besides the JDK's (the emulator, a TLS-inspecting proxy)"),
  PUBLIC_BASE_URL(false, true, null, "public HTTPS base URL Graph sends change notifications to (optional: polls without; http only on loopback, for the emulator)"),
  SYNC_WINDOW_PAST_DAYS(false, true, "365", "days into the past that are synced"),
  SYNC_WINDOW_FUTURE_DAYS(false, true, "730", "days into the future that are synced (past + future at most 1825: Graph's 5-year cap)"),
  QUIET_MODE_DEFAULT(false, true, "false", "new events go to Outlook without attendees, unless the user chose otherwise (true/false)"),
  ONLY_FUTURE_DEFAULT(false, true, "true", "past Odoo events are not pushed to Outlook, unless the user chose otherwise (true/false)"),
  API_SHARED_SECRET(true, true, null, "HMAC secret shared with the Odoo addon (at least 16 characters)"),
  LISTEN(false, false, "127.0.0.1:8077", "host:port the local API listens on"),
  DATA_DIR(false, false, "./data", "directory for the embedded database and the key file"),
  SECRET_KEY_FILE(false, false, null, "key file for secrets at rest (default: <data_dir>/secret.key)"),
  SECRET_KEYS(true, false, null, "keys for secrets at rest, id:base64key,... (instead of the key file; env only)"),
  DB_URL(false, false, null, "JDBC URL of a PostgreSQL store (default: embedded HSQLDB in data_dir)"),
  DB_USER(false, false, null, "PostgreSQL user"),
  DB_PASSWORD(true, false, null, "PostgreSQL password"),
  LOG_LEVEL(false, false, "INFO", "level for the sidecar's own logs (third parties log at WARN)"),
  SYNC_INTERVAL(false, false, "900", "seconds between fallback runs of each connected account (announced changes start runs sooner), 10 to 86400"),
  SYNC_WORKERS(false, false, "4", "accounts synced in parallel, 1 to 64"),
  SYNC_QUIET_MS(false, false, "300", "milliseconds an account waits after an announced change before it runs, 0 to 2000 (an announcement within it of the one before starts a burst: 2 s of quiet, at most 10 s)"),
  SYNC_INTERVAL_NOTIFIED(false, false, "3600", "seconds between fallback runs of an account whose Graph notifications are alive (10 to 86400; never shorter than sync_interval)"),
  LEASE_SECONDS(false, false, "30", "with a PostgreSQL store shared by several sidecars: how long an account's lease lasts without renewal (5 to 600)");

  private final boolean secret;
  private final boolean pushable;
  private final String defaultValue;
  private final String description;

  Key(boolean secret, boolean pushable, String defaultValue, String description) {
    this.secret = secret;
    this.pushable = pushable;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  /** Name in the config file and in {@code configure}: {@code odoo_url}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String env() {
    return "OUTLOOK_SYNC_" + name();
  }

  public boolean secret() {
    return secret;
  }

  /** Whether the addon may set it through {@code configure}; the others are fixed at start-up. */
  public boolean pushable() {
    return pushable;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  /** Name of the store row holding a pushed value. */
  public String storeName() {
    return "config." + id();
  }

  public static Optional<Key> byId(String id) {
    for (Key k : values()) {
      if (k.id().equals(id)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
