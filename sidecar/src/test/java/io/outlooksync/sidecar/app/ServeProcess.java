package io.outlooksync.sidecar.app;

import io.outlooksync.fixtures.m365.Browser;
import io.outlooksync.fixtures.m365.M365Emulator;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One sidecar as its own process ({@code Main serve} on the test class path), for benchmarks that need the real
 * thing: its own JVM, its own scheduler and HTTP server, its log in a file. Started on a free loopback port and
 * returned once {@code /healthz} answers.
 */
final class ServeProcess implements AutoCloseable {
  final Process process;
  final ApiClient api;
  final Path log;
  final int port;

  private ServeProcess(Process process, ApiClient api, Path log, int port) {
    this.process = process;
    this.api = api;
    this.log = log;
    this.port = port;
  }

  /** Starts {@code Main serve} with {@code env} (its {@code OUTLOOK_SYNC_LISTEN} is replaced) and JVM options. */
  static ServeProcess start(Map<String, String> env, List<String> jvmOptions, String sharedSecret, Path log) throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Djdk.serialFilter=!*");
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve"));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("OUTLOOK_SYNC_"));
    pb.environment().putAll(env);
    pb.environment().put("OUTLOOK_SYNC_LISTEN", "127.0.0.1:" + port);
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process p = pb.start();
    ServeProcess started = new ServeProcess(p, new ApiClient(URI.create("http://127.0.0.1:" + port), sharedSecret), log, port);
    started.awaitHealthy(Duration.ofSeconds(120));
    return started;
  }

  private void awaitHealthy(Duration limit) throws Exception {
    HttpRequest health = HttpRequest.newBuilder(api.base.resolve("/healthz")).timeout(Duration.ofSeconds(2)).build();
    long until = System.nanoTime() + limit.toNanos();
    while (process.isAlive() && System.nanoTime() < until) {
      try {
        if (api.http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    close();
    throw new IllegalStateException("the sidecar did not come up; its log: " + tail(20));
  }

  /** The user signs in through the addon's route and Microsoft's page, as in production; fails with the reply. */
  void signIn(M365Emulator m365, String db, long uid, String login, String address) throws Exception {
    String authorize = api.post("/api/users/" + db + "/" + uid + "/signin/start", "{\"login\": \"" + login + "\"}").json()
        .get("authorize_url").asText();
    Map<String, String> redirect = new Browser(m365).signIn(URI.create(authorize), address).redirect();
    expect200(api.post("/api/signin/complete", "{\"code\": \"" + redirect.get("code") + "\", \"state\": \"" + redirect.get("state") + "\"}"),
        "sign-in of " + login);
  }

  /**
   * Sync now for one user (the first sync the user confirms in Odoo), waiting as long as the addon does (100 s):
   * on a shared store it first waits for the account's lease. Asked again while it answers 409 busy.
   */
  void syncNow(String db, long uid) throws Exception {
    syncNow(db, uid, Duration.ofSeconds(100));
  }

  /** {@link #syncNow(String, long)} waiting up to {@code wait} for the run (a first sync of a big mailbox). */
  void syncNow(String db, long uid, Duration wait) throws Exception {
    String path = "/api/users/" + db + "/" + uid + "/sync";
    for (int attempt = 1; ; attempt++) {
      String ts = ApiClient.now();
      HttpRequest signed = api.request("POST", path, "{}", ts, ApiClient.signature(api.secret, ts, "POST", path, "{}"));
      ApiClient.Reply r = api.send(HttpRequest.newBuilder(signed, (name, value) -> true).timeout(wait).build());
      if (r.status() != 409 || attempt == 5) {
        expect200(r, "Sync now of user " + uid);
        return;
      }
    }
  }

  /** The sum of one metric's series in {@code /metrics} (0 when absent). */
  double metric(String name) throws Exception {
    return api.get("/metrics").body().lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  static void expect200(ApiClient.Reply r, String what) {
    if (r.status() != 200) {
      throw new IllegalStateException(what + ": HTTP " + r.status() + " " + r.body());
    }
  }

  /** The last lines of the log, for error messages. */
  String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return "\n" + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (Exception e) {
      return " (no log: " + e + ")";
    }
  }

  /** Resident memory in MB, from /proc. */
  double residentMb() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    return -1;
  }

  /** A clean stop (SIGTERM, as systemctl stop): leases given back, runs ended. */
  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
