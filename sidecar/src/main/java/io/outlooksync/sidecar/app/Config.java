package io.outlooksync.sidecar.app;

import io.outlooksync.sidecar.sync.RunSettings;
import io.outlooksync.sidecar.sync.ScheduleSettings;
import io.outlooksync.sidecar.sync.SubscriptionSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sidecar's settings: defaults, then the config file, then {@code OUTLOOK_SYNC_*} environment variables,
 * then (for pushable keys) what the addon pushed through {@code configure}. Immutable; {@link #with} layers
 * the next source on top. {@link #toString} never shows a secret.
 */
public record Config(Map<Key, String> values) {
  /** Settings a sync needs and nobody has given yet. */
  private static final List<Key> NEEDED_FOR_SYNC = List.of(Key.ODOO_URL, Key.ODOO_DB, Key.ODOO_LOGIN, Key.ODOO_API_KEY,
      Key.MS_CLIENT_ID, Key.MS_CLIENT_SECRET, Key.API_SHARED_SECRET);
  public static final int MIN_SHARED_SECRET = 16;

  public Config {
    values = Collections.unmodifiableMap(new EnumMap<>(values.isEmpty() ? new EnumMap<>(Key.class) : values));
  }

  /** Bad configuration: every problem found, one per line, naming the key and never its secret value. */
  public static final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(List<String> problems) {
      super(String.join("\n", problems));
    }
  }

  public static Config defaults() {
    return new Config(Map.of());
  }

  /**
   * Loads {@code file} (when not null) and the environment; validates the result. Unknown
   * {@code OUTLOOK_SYNC_*} variables are reported in {@code warnings} (a typo should be seen, but other
   * tools may share the prefix).
   */
  public static Config load(Path file, Map<String, String> env, List<String> warnings) throws ConfigException {
    List<String> problems = new ArrayList<>();
    Map<Key, String> fromFile = file == null ? Map.of() : readFile(file, problems);
    Map<Key, String> fromEnv = new EnumMap<>(Key.class);
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (!e.getKey().startsWith("OUTLOOK_SYNC_")) {
        continue;
      }
      Optional<Key> key = Key.byId(e.getKey().substring("OUTLOOK_SYNC_".length()).toLowerCase(java.util.Locale.ROOT));
      if (key.isEmpty()) {
        warnings.add("unknown environment variable " + e.getKey() + " (ignored)");
      } else if (!e.getValue().isBlank()) {
        fromEnv.put(key.get(), e.getValue().strip());
      }
    }
    Config config = defaults().with(fromFile).with(fromEnv);
    problems.addAll(validate(config.values));
    if (problems.isEmpty()) {
      problems.addAll(config.crossProblems());
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return config;
  }

  /**
   * The simple format: {@code key = value} per line, {@code #} starts a comment line, the value is taken
   * literally after trimming (no escapes, no quotes), so secrets paste in as they are.
   */
  static Map<Key, String> readFile(Path file, List<String> problems) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      problems.add("cannot read config file " + file + ": " + e.getMessage());
      return Map.of();
    }
    Map<Key, String> out = new EnumMap<>(Key.class);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      String where = file + ":" + (i + 1);
      if (eq <= 0) {
        problems.add(where + ": expected key = value");
        continue;
      }
      String id = line.substring(0, eq).strip();
      Optional<Key> key = Key.byId(id);
      if (key.isEmpty()) {
        problems.add(where + ": unknown key " + id);
      } else if (key.get() == Key.SECRET_KEYS) {
        problems.add(where + ": secret_keys is read from the environment only; use secret_key_file in a file");
      } else if (out.containsKey(key.get())) {
        problems.add(where + ": " + id + " is set twice");
      } else {
        String value = line.substring(eq + 1).strip();
        if (!value.isEmpty()) {
          out.put(key.get(), value);
        }
      }
    }
    return out;
  }

  /** Problems with the given values, one message each; empty when all is well. */
  public static List<String> validate(Map<Key, String> values) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<Key, String> e : values.entrySet()) {
      String problem = problem(e.getKey(), e.getValue());
      if (problem != null) {
        problems.add(e.getKey().id() + ": " + problem);
      }
    }
    return problems;
  }

  /** Problems of the configuration as a whole (values that are fine alone but not together). */
  public List<String> crossProblems() {
    try {
      runSettings();
      return List.of();
    } catch (IllegalArgumentException e) {
      return List.of("sync_window_past_days + sync_window_future_days: " + e.getMessage());
    }
  }

  /** The sync window and the per-user defaults. */
  public RunSettings runSettings() {
    return new RunSettings(Duration.ofDays(Long.parseLong(get(Key.SYNC_WINDOW_PAST_DAYS).orElseThrow())),
        Duration.ofDays(Long.parseLong(get(Key.SYNC_WINDOW_FUTURE_DAYS).orElseThrow())),
        Boolean.parseBoolean(get(Key.QUIET_MODE_DEFAULT).orElseThrow()), Boolean.parseBoolean(get(Key.ONLY_FUTURE_DEFAULT).orElseThrow()));
  }

  private static String problem(Key key, String v) {
    return switch (key) {
      case ODOO_URL, MS_AUTHORITY -> httpUrl(v, false);
      case MS_REDIRECT_URI -> redirectUri(v);
      case PUBLIC_BASE_URL -> loopback(v) ? httpUrl(v, false) : httpUrl(v, true);
      case LISTEN -> {
        try {
          parseListen(v);
          yield null;
        } catch (IllegalArgumentException e) {
          yield e.getMessage();
        }
      }
      case SYNC_WINDOW_PAST_DAYS, SYNC_WINDOW_FUTURE_DAYS -> v.matches("\\d{1,4}") && Integer.parseInt(v) <= RunSettings.MAX_WINDOW_DAYS
          ? null : "must be a whole number of days from 0 to " + RunSettings.MAX_WINDOW_DAYS;
      case ODOO_PROTOCOL -> v.matches("auto|xmlrpc|json2") ? null : "must be auto, xmlrpc or json2";
      case QUIET_MODE_DEFAULT, ONLY_FUTURE_DEFAULT -> v.equals("true") || v.equals("false") ? null : "must be true or false";
      case API_SHARED_SECRET -> v.length() < MIN_SHARED_SECRET ? "must be at least " + MIN_SHARED_SECRET + " characters" : null;
      case MS_TENANT -> v.matches("[A-Za-z0-9.-]{1,100}") ? null : "must be common, organizations, consumers, a tenant id or domain";
      case MS_CLIENT_ID, ODOO_LOGIN, ODOO_DB -> v.length() > 200 || v.chars().anyMatch(Character::isWhitespace)
          ? "must be one word of at most 200 characters" : null;
      case DB_URL -> v.startsWith("jdbc:postgresql:") || v.startsWith("jdbc:hsqldb:") ? null
          : "must be a jdbc:postgresql: (or jdbc:hsqldb:) URL";
      case SYNC_INTERVAL -> whole(v, 10, 86_400);
      case SYNC_WORKERS -> whole(v, 1, 64);
      case SYNC_QUIET_MS -> whole(v, 0, (int) ScheduleSettings.BURST_QUIET.toMillis());
      case SYNC_INTERVAL_NOTIFIED -> whole(v, 10, 86_400);
      case LEASE_SECONDS -> whole(v, 5, 600);
      case LOG_LEVEL -> {
        try {
          Log.parseLevel(v);
          yield null;
        } catch (IllegalArgumentException e) {
          yield "must be one of TRACE, DEBUG, INFO, WARN, ERROR";
        }
      }
      default -> v.length() > 4000 ? "is longer than 4000 characters" : null;
    };
  }

  /** Graph itself only calls https; http is accepted on loopback, where the emulator delivers. */
  private static boolean loopback(String v) {
    try {
      String host = new URI(v).getHost();
      return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"));
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static String whole(String v, int min, int max) {
    try {
      int n = Integer.parseInt(v);
      return n >= min && n <= max ? null : "must be between " + min + " and " + max;
    } catch (NumberFormatException e) {
      return "must be a whole number";
    }
  }

  /** Entra ID accepts https redirect URIs, and http only for localhost. */
  private static String redirectUri(String v) {
    String problem = httpUrl(v, false);
    if (problem != null) {
      return problem;
    }
    URI u = URI.create(v);
    boolean local = "localhost".equals(u.getHost()) || "127.0.0.1".equals(u.getHost());
    return "https".equals(u.getScheme()) || local ? null : "must be https:// (Entra ID allows http for localhost only)";
  }

  /** The OAuth redirect URI: as configured, or Odoo's own route under its URL. */
  public Optional<String> redirectUri() {
    Optional<String> set = get(Key.MS_REDIRECT_URI);
    if (set.isPresent()) {
      return set;
    }
    return get(Key.ODOO_URL).map(u -> (u.endsWith("/") ? u.substring(0, u.length() - 1) : u) + "/microsoft_account/authentication");
  }

  private static String httpUrl(String v, boolean httpsOnly) {
    try {
      URI u = new URI(v);
      boolean scheme = "https".equals(u.getScheme()) || (!httpsOnly && "http".equals(u.getScheme()));
      if (!scheme || u.getHost() == null) {
        return httpsOnly ? "must be an https:// URL with a host (Graph only calls HTTPS)" : "must be an http(s):// URL with a host";
      }
      if (u.getRawUserInfo() != null) {
        return "must not contain a user or password (they would show in logs); use the key settings";
      }
      return u.getRawQuery() == null && u.getRawFragment() == null ? null : "must not have a query or fragment";
    } catch (URISyntaxException e) {
      return "is not a URL";
    }
  }

  static InetSocketAddress parseListen(String v) {
    int colon = v.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("must be host:port, e.g. 127.0.0.1:8077");
    }
    String host = v.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(v.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port must be a number: " + v);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535: " + v);
    }
    return new InetSocketAddress(host, port);
  }

  /** This config with {@code overrides} on top (blank values do not override). */
  public Config with(Map<Key, String> overrides) {
    Map<Key, String> merged = new EnumMap<>(Key.class);
    merged.putAll(values);
    overrides.forEach((k, v) -> {
      if (v != null && !v.isBlank()) {
        merged.put(k, v);
      }
    });
    return new Config(merged);
  }

  public Optional<String> get(Key key) {
    String v = values.get(key);
    return Optional.ofNullable(v != null ? v : key.defaultValue());
  }

  public InetSocketAddress listen() {
    return parseListen(get(Key.LISTEN).orElseThrow());
  }

  public Path dataDir() {
    return Path.of(get(Key.DATA_DIR).orElseThrow());
  }

  public Path secretKeyFile() {
    return get(Key.SECRET_KEY_FILE).map(Path::of).orElse(dataDir().resolve("secret.key"));
  }

  /** The scheduler's pacing: the configured fallback interval, workers and quiet, the rest as in the defaults. */
  public ScheduleSettings scheduleSettings() {
    return ScheduleSettings.defaults().withInterval(Duration.ofSeconds(Integer.parseInt(get(Key.SYNC_INTERVAL).orElseThrow())))
        .withWorkers(Integer.parseInt(get(Key.SYNC_WORKERS).orElseThrow()))
        .withQuiet(Duration.ofMillis(Integer.parseInt(get(Key.SYNC_QUIET_MS).orElseThrow())));
  }

  /** How subscriptions are kept: the defaults, with the configured fallback for accounts whose notifications are alive. */
  public SubscriptionSettings subscriptionSettings() {
    return SubscriptionSettings.defaults()
        .withNotifiedInterval(Duration.ofSeconds(Integer.parseInt(get(Key.SYNC_INTERVAL_NOTIFIED).orElseThrow())));
  }

  /** How long an account's lease lasts without renewal, on a shared PostgreSQL store. */
  public Duration leaseTtl() {
    return Duration.ofSeconds(Integer.parseInt(get(Key.LEASE_SECONDS).orElseThrow()));
  }

  /** Keys a sync still needs, by their config name ({@code odoo_url}, ...). */
  public List<String> missing() {
    List<String> out = new ArrayList<>();
    for (Key k : NEEDED_FOR_SYNC) {
      if (get(k).isEmpty()) {
        out.add(k.id());
      }
    }
    return out;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("Config{");
    for (Key k : Key.values()) {
      Optional<String> v = get(k);
      if (v.isPresent()) {
        b.append(b.length() > 7 ? ", " : "").append(k.id()).append('=').append(k.secret() ? "***" : v.get());
      }
    }
    return b.append('}').toString();
  }
}
