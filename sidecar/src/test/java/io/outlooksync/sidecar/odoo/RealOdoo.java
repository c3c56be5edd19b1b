package io.outlooksync.sidecar.odoo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Odoo 17, 18 or 19 from a source tree ({@code ODOO_HOME_17}, {@code ODOO_HOME_18} or {@code ODOO_HOME},
 * {@code ODOO_HOME_19}, see {@link RealOdooExtension}): a throwaway database with the calendar module, served
 * on a free port of 127.0.0.1, with an API key for admin made the way Odoo's preferences screen does. {@link
 * #close()} stops Odoo and drops the database. Tests get the one shared instance through {@link
 * RealOdooExtension}: installing the calendar module takes about a minute, too long to repeat per class.
 *
 * <p>PostgreSQL: {@code ODOO_DB_HOST} (127.0.0.1), {@code ODOO_DB_PORT} (5432), and a role that may create
 * databases but is not a superuser (Odoo refuses superusers): {@code ODOO_DB_USER} / {@code ODOO_DB_PASSWORD}
 * (odoo / odoo). Python: {@code ODOO_PYTHON} (/usr/bin/python3, with Odoo's Debian deps). {@code ODOO_KEEP_LOGS}
 * keeps the temporary directory with Odoo's logs and filestore.
 */
public final class RealOdoo implements OdooUnderTest, AutoCloseable {
  private static final String ADMIN = "admin";
  private static final Pattern VERSION_INFO = Pattern.compile("^version_info = \\((?:'saas~)?(\\d+)");

  private final String db = "outlook_sync_test_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
  private final Path work;
  private final String url;
  private final int major;
  private Process server;
  private String version;
  private int adminUid;
  private RawOdoo admin;
  private String apiKey;

  private RealOdoo(Path work, int port, int major) {
    this.work = work;
    this.url = "http://127.0.0.1:" + port;
    this.major = major;
  }

  /**
   * Creates the database, serves it and makes admin's API key; on failure nothing is left behind. The tree must
   * be of release {@code major} (its odoo/release.py says so).
   */
  static RealOdoo start(Path home, int major) throws Exception {
    Path odooBin = home.resolve("odoo-bin");
    if (!Files.isRegularFile(odooBin)) {
      throw new IllegalStateException(home + " has no odoo-bin");
    }
    int found = treeMajor(home);
    if (found != major) {
      throw new IllegalStateException(home + " is Odoo " + found + ", not " + major);
    }
    RealOdoo odoo = new RealOdoo(Files.createTempDirectory("real-odoo" + major), freePort(), major);
    try {
      odoo.boot(home);
      return odoo;
    } catch (Exception | Error e) {
      try {
        odoo.close();
      } catch (Exception cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  private void boot(Path home) throws Exception {
    Instant began = Instant.now();
    Files.writeString(work.resolve("odoo.conf"), "[options]\n");
    List<String> common = new ArrayList<>(List.of(env("ODOO_PYTHON", "/usr/bin/python3"), home.resolve("odoo-bin").toString(),
        "-c", work.resolve("odoo.conf").toString(),
        "--addons-path=" + home.resolve("addons") + "," + home.resolve("odoo").resolve("addons"),
        "--data-dir=" + work.resolve("data"), "-d", db, "--db-filter=^" + db + "$",
        "--db_host=" + env("ODOO_DB_HOST", "127.0.0.1"), "--db_port=" + env("ODOO_DB_PORT", "5432"),
        "--db_user=" + env("ODOO_DB_USER", "odoo"), "--db_password=" + env("ODOO_DB_PASSWORD", "odoo"),
        "--http-interface=127.0.0.1", "--http-port=" + url.substring(url.lastIndexOf(':') + 1), "--workers=0",
        "--max-cron-threads=0", "--log-level=warn",
        // Nothing listens there: no mail leaves the machine, and what Odoo would send stays in mail.mail.
        "--smtp=127.0.0.1", "--smtp-port=" + freePort()));

    List<String> init = new ArrayList<>(common);
    init.addAll(List.of("-i", "calendar", "--stop-after-init", "--logfile=" + work.resolve("init.log")));
    if (major < 19) {
      init.add("--without-demo=all"); // 19 installs no demo data unless asked, and wants a boolean here
    }
    Process installing = new ProcessBuilder(init).redirectErrorStream(true).redirectOutput(work.resolve("init.out").toFile()).start();
    if (!installing.waitFor(10, TimeUnit.MINUTES) || installing.exitValue() != 0) {
      installing.destroyForcibly();
      throw new IllegalStateException("creating database " + db + " failed; see " + work.resolve("init.log") + "\n"
          + tail("init.log") + tail("init.out"));
    }

    List<String> serve = new ArrayList<>(common);
    serve.add("--logfile=" + work.resolve("server.log"));
    server = new ProcessBuilder(serve).redirectErrorStream(true).redirectOutput(work.resolve("server.out").toFile()).start();
    version = waitForVersion();

    OdooGateway password = new XmlRpcOdooGateway(OdooConfig.of(url, db, ADMIN, ADMIN));
    adminUid = (int) password.authenticate();
    admin = new RawOdoo(url, db, adminUid, ADMIN);
    apiKey = makeApiKey(ADMIN, ADMIN);
    System.out.println("RealOdoo: Odoo " + version + " at " + url + ", database " + db + ", logs in " + work + ", ready in "
        + Duration.between(began, Instant.now()).toSeconds() + " s");
  }

  /**
   * An API key for a user, made as Odoo's preferences screen makes it. The key wizard's make_key is guarded by
   * check_identity, which refuses requests without a web session (XML-RPC has none), and
   * res.users.apikeys._generate is private. So this signs in to the web client over JSON-RPC, saves the wizard
   * as its form does (web_save), and calls make_key: that answers with an identity-check wizard; given the
   * password, its run_check calls make_key again, which answers with the new key in the action's context.
   * Odoo 19's run_check takes the password from the context instead of the wizard's field.
   */
  public String makeApiKey(String login, String password) throws Exception {
    OdooWebSession web = OdooWebSession.signIn(url, db, login, password);
    JsonNode saved = web.callKw("res.users.apikeys.description", "web_save",
        List.of(List.of(), Map.of("name", "outlook-sync tests"), Map.of()));
    int description = saved.get(0).get("id").asInt();
    JsonNode check = web.callKw("res.users.apikeys.description", "make_key", List.of(List.of(description)));
    int wizard = check.get("res_id").asInt();
    JsonNode shown;
    if (major >= 19) {
      shown = web.callKw("res.users.identitycheck", "run_check", List.of(List.of(wizard)), Map.of("context", Map.of("password", password)));
    } else {
      web.callKw("res.users.identitycheck", "write", List.of(List.of(wizard), Map.of("password", password)));
      shown = web.callKw("res.users.identitycheck", "run_check", List.of(List.of(wizard)));
    }
    return shown.get("context").get("default_key").asText();
  }

  /** The release, e.g. 19. */
  public int major() {
    return major;
  }

  /** The major release in the tree's odoo/release.py ({@code version_info = (19, 0, 0, FINAL, 0, '')}). */
  static int treeMajor(Path home) throws IOException {
    for (String line : Files.readAllLines(home.resolve("odoo").resolve("release.py"))) {
      Matcher m = VERSION_INFO.matcher(line);
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
    }
    throw new IllegalStateException(home + "/odoo/release.py has no version_info");
  }

  @Override
  public String url() {
    return url;
  }

  @Override
  public String database() {
    return db;
  }

  @Override
  public OdooConfig serviceConfig() {
    return OdooConfig.of(url, db, ADMIN, apiKey);
  }

  @Override
  public long serviceUid() {
    return adminUid;
  }

  @Override
  public RawOdoo raw() {
    return admin;
  }

  @Override
  public String describe() {
    return "Odoo " + version;
  }

  /** Stops Odoo, drops its database and (unless ODOO_KEEP_LOGS is set) removes its directory. */
  @Override
  public void close() throws Exception {
    if (server != null) {
      server.destroy();
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    String jdbc = "jdbc:postgresql://" + env("ODOO_DB_HOST", "127.0.0.1") + ":" + env("ODOO_DB_PORT", "5432") + "/postgres";
    try (Connection c = DriverManager.getConnection(jdbc, env("ODOO_DB_USER", "odoo"), env("ODOO_DB_PASSWORD", "odoo"));
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
    }
    if (System.getenv("ODOO_KEEP_LOGS") == null) {
      try (var paths = Files.walk(work)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private String waitForVersion() throws Exception {
    OdooGateway probe = new XmlRpcOdooGateway(OdooConfig.of(url, db, ADMIN, ADMIN)
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10)));
    Instant deadline = Instant.now().plusSeconds(120);
    while (true) {
      try {
        return probe.version().serverVersion();
      } catch (OdooUnavailableException e) {
        if (!server.isAlive() || Instant.now().isAfter(deadline)) {
          throw new IllegalStateException("Odoo did not start; see " + work.resolve("server.log") + "\n"
              + tail("server.log") + tail("server.out"), e);
        }
        Thread.sleep(250);
      }
    }
  }

  private String tail(String file) {
    try {
      List<String> lines = Files.readAllLines(work.resolve(file));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())) + "\n";
    } catch (IOException e) {
      return "";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
