package io.outlooksync.sidecar.odoo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcClientConfigImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The gateway contract against a real Odoo 18, when {@code ODOO_HOME} names a source tree (with odoo-bin).
 * It creates a throwaway database with the calendar module, serves it on a free port of 127.0.0.1, makes an
 * API key for admin the way Odoo's preferences screen does, runs the contract, then stops Odoo and drops the
 * database. PostgreSQL: {@code ODOO_DB_HOST} (127.0.0.1), {@code ODOO_DB_PORT} (5432), and a role that may
 * create databases but is not a superuser (Odoo refuses superusers): {@code ODOO_DB_USER} / {@code
 * ODOO_DB_PASSWORD} (odoo / odoo). Python: {@code ODOO_PYTHON} (/usr/bin/python3, with Odoo's Debian deps).
 */
class RealOdooGatewayTest extends OdooGatewayContract {
  private static final String DB = "outlook_sync_contract_" + RUN;
  private static Path work;
  private static Process server;
  private static String url;
  private static RawOdoo admin;
  private static String apiKey;
  private static int adminUid;
  private static long zoe;

  @BeforeAll
  static void startOdoo() throws Exception {
    String home = System.getenv("ODOO_HOME");
    if (home == null || home.isBlank()) {
      String why = "RealOdooGatewayTest skipped: ODOO_HOME is not set (point it at an Odoo 18 source tree to run the"
          + " contract against real Odoo; see docs/odoo.md)";
      System.out.println(why);
      Assumptions.abort(why);
    }
    Path odooBin = Path.of(home, "odoo-bin");
    if (!Files.isRegularFile(odooBin)) {
      throw new IllegalStateException("ODOO_HOME=" + home + " has no odoo-bin");
    }
    work = Files.createTempDirectory("odoo-contract");
    Files.writeString(work.resolve("odoo.conf"), "[options]\n");
    int port = freePort();
    url = "http://127.0.0.1:" + port;
    List<String> common = new ArrayList<>(List.of(env("ODOO_PYTHON", "/usr/bin/python3"), odooBin.toString(),
        "-c", work.resolve("odoo.conf").toString(),
        "--addons-path=" + Path.of(home, "addons") + "," + Path.of(home, "odoo", "addons"),
        "--data-dir=" + work.resolve("data"), "-d", DB, "--db-filter=^" + DB + "$",
        "--db_host=" + env("ODOO_DB_HOST", "127.0.0.1"), "--db_port=" + env("ODOO_DB_PORT", "5432"),
        "--db_user=" + env("ODOO_DB_USER", "odoo"), "--db_password=" + env("ODOO_DB_PASSWORD", "odoo"),
        "--http-interface=127.0.0.1", "--http-port=" + port, "--workers=0", "--max-cron-threads=0",
        "--log-level=warn"));

    List<String> init = new ArrayList<>(common);
    init.addAll(List.of("-i", "calendar", "--without-demo=all", "--stop-after-init", "--logfile=" + work.resolve("init.log")));
    Process installing = new ProcessBuilder(init).redirectErrorStream(true)
        .redirectOutput(work.resolve("init.out").toFile()).start();
    if (!installing.waitFor(10, TimeUnit.MINUTES) || installing.exitValue() != 0) {
      installing.destroyForcibly();
      throw new IllegalStateException("creating database " + DB + " failed; see " + work.resolve("init.log") + "\n" + tail("init.log") + tail("init.out"));
    }

    List<String> serve = new ArrayList<>(common);
    serve.add("--logfile=" + work.resolve("server.log"));
    server = new ProcessBuilder(serve).redirectErrorStream(true).redirectOutput(work.resolve("server.out").toFile()).start();
    waitForVersion();

    XmlRpcClient commonRpc = client(url + "/xmlrpc/2/common");
    adminUid = (Integer) commonRpc.execute("authenticate", new Object[] {DB, "admin", "admin", Map.of()});
    admin = new RawOdoo(url, DB, adminUid, "admin");
    apiKey = makeApiKey();
    zoe = admin.create("res.users", Map.of("name", "Zoe", "login", ZONED_LOGIN, "email", "zoe-" + RUN + "@example.com",
        "tz", "Europe/Brussels"));
    System.out.println("RealOdooGatewayTest: Odoo at " + url + ", database " + DB + ", logs in " + work);
  }

  /**
   * Odoo's own way, as the preferences screen does it. The key wizard's make_key is guarded by check_identity,
   * which refuses requests without a web session (XML-RPC has none), and res.users.apikeys._generate is
   * private. So this signs in to the web client over JSON-RPC, saves the wizard as its form does (web_save),
   * and calls make_key: that answers with an identity-check wizard; given the password, its run_check calls
   * make_key again, which answers with the new key in the action's context.
   */
  private static String makeApiKey() throws Exception {
    WebSession web = new WebSession(url);
    web.post("/web/session/authenticate", Map.of("db", DB, "login", "admin", "password", "admin"));
    JsonNode saved = web.callKw("res.users.apikeys.description", "web_save",
        List.of(List.of(), Map.of("name", "outlook-sync contract test"), Map.of()));
    int description = saved.get(0).get("id").asInt();
    JsonNode check = web.callKw("res.users.apikeys.description", "make_key", List.of(List.of(description)));
    int wizard = check.get("res_id").asInt();
    web.callKw("res.users.identitycheck", "write", List.of(List.of(wizard), Map.of("password", "admin")));
    JsonNode shown = web.callKw("res.users.identitycheck", "run_check", List.of(List.of(wizard)));
    return shown.get("context").get("default_key").asText();
  }

  /** A web-client session: JSON-RPC with the session cookie. */
  private static final class WebSession {
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    private final String base;

    WebSession(String base) {
      this.base = base;
    }

    JsonNode callKw(String model, String method, List<?> args) throws Exception {
      return post("/web/dataset/call_kw/" + model + "/" + method,
          Map.of("model", model, "method", method, "args", args, "kwargs", Map.of()));
    }

    JsonNode post(String path, Map<String, ?> params) throws Exception {
      String body = json.writeValueAsString(Map.of("jsonrpc", "2.0", "method", "call", "id", 1, "params", params));
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode reply = json.readTree(response.body());
      if (reply.has("error")) {
        throw new IllegalStateException(path + ": " + reply.get("error").path("data").path("message").asText());
      }
      return reply.get("result");
    }
  }

  @AfterAll
  static void stopOdoo() throws Exception {
    if (server != null) {
      server.destroy();
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (work != null) {
      String jdbc = "jdbc:postgresql://" + env("ODOO_DB_HOST", "127.0.0.1") + ":" + env("ODOO_DB_PORT", "5432") + "/postgres";
      try (Connection c = DriverManager.getConnection(jdbc, env("ODOO_DB_USER", "odoo"), env("ODOO_DB_PASSWORD", "odoo"));
          Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
      }
      // Odoo's filestore and logs; set ODOO_KEEP_LOGS to look at them after a run.
      if (System.getenv("ODOO_KEEP_LOGS") == null) {
        try (var paths = Files.walk(work)) {
          paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  private static void waitForVersion() throws Exception {
    OdooGateway probe = new XmlRpcOdooGateway(OdooConfig.of(url, DB, "admin", "admin")
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10)));
    Instant deadline = Instant.now().plusSeconds(120);
    while (true) {
      try {
        probe.version();
        return;
      } catch (OdooUnavailableException e) {
        if (!server.isAlive() || Instant.now().isAfter(deadline)) {
          throw new IllegalStateException("Odoo did not start; see " + work.resolve("server.log") + "\n" + tail("server.log") + tail("server.out"), e);
        }
        Thread.sleep(250);
      }
    }
  }

  private static XmlRpcClient client(String endpoint) throws Exception {
    XmlRpcClientConfigImpl config = new XmlRpcClientConfigImpl();
    config.setServerURL(new java.net.URL(endpoint));
    XmlRpcClient client = new XmlRpcClient();
    client.setConfig(config);
    return client;
  }

  private static String tail(String file) {
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

  @Override
  protected OdooConfig config() {
    return OdooConfig.of(url, DB, "admin", apiKey);
  }

  @Override
  protected long serviceUid() {
    return adminUid;
  }

  @Override
  protected RawOdoo raw() {
    return admin;
  }

  /** write_date is the transaction's start: wait until the wall clock is in the next second. */
  @Override
  protected void nextSecond() {
    long millis = System.currentTimeMillis();
    try {
      Thread.sleep(1_000 - millis % 1_000 + 20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  protected long zonedUser() {
    return zoe;
  }
}
