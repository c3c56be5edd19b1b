package io.outlooksync.sidecar.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.sidecar.store.Database;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code Main serve} as its own process, stopped with SIGTERM the way systemd stops it. */
class MainProcessTest {
  @TempDir
  Path dataDir;

  @Test
  void servesUntilSigtermThenExitsZeroWithTheStoreClosedCleanly() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    Path stderr = dataDir.resolve("stderr.log");
    ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Djdk.serialFilter=!*", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "serve"));
    pb.environment().keySet().removeIf(k -> k.startsWith("OUTLOOK_SYNC_"));
    pb.environment().put("OUTLOOK_SYNC_DATA_DIR", dataDir.toString());
    pb.environment().put("OUTLOOK_SYNC_LISTEN", "127.0.0.1:" + port);
    pb.redirectErrorStream(true).redirectOutput(stderr.toFile());
    Process p = pb.start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
          .timeout(Duration.ofSeconds(2)).build();
      String body = null;
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (body == null && System.nanoTime() < until && p.isAlive()) {
        try {
          HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
          body = r.body();
        } catch (java.io.IOException notYet) {
          Thread.sleep(100);
        }
      }
      assertTrue(body != null && body.contains("\"status\":\"degraded\""), "no health answer; log:\n" + Files.readString(stderr));
      long opening = System.nanoTime();
      SQLException inUse = assertThrows(SQLException.class, () -> Database.embedded(dataDir).close(), "a second process opened the store");
      assertTrue(inUse.getMessage().contains("in use by another process"), inUse.getMessage());
      assertTrue(System.nanoTime() - opening < TimeUnit.SECONDS.toNanos(5), "refused at once, not after a wait");

      p.destroy(); // SIGTERM
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "did not stop on SIGTERM");
      String log = Files.readString(stderr, StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), log);
      assertTrue(log.contains("msg=\"serving; waiting for the addon's settings\"") && log.contains("startup_ms="), log);
      assertTrue(log.contains("msg=stopped"), log);
    } finally {
      p.destroyForcibly();
    }
    // HSQLDB folds its log into the data file on a clean SHUTDOWN; after a crash the log is replayed at the next open.
    Path files = dataDir.resolve("store");
    assertFalse(Files.exists(files.resolve("outlook-sync.lck")), "HSQLDB's heartbeat lock file is off (StoreLock guards the files)");
    assertTrue(!Files.exists(files.resolve("outlook-sync.log")) || Files.size(files.resolve("outlook-sync.log")) == 0,
        "unapplied HSQLDB log left behind");
    try (Database db = Database.embedded(dataDir)) {
      int accounts = db.transaction(c -> {
        try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM account")) {
          rs.next();
          return rs.getInt(1);
        }
      });
      assertEquals(0, accounts);
    }
  }
}
