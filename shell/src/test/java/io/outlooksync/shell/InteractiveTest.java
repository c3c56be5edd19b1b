package io.outlooksync.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.outlooksync.sidecar.store.AccountState;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interactive shell, typed at through JLine's test terminal. */
class InteractiveTest {
  static final String PROMPT = "outlook-sync> ";

  @TempDir
  Path dir;

  @Test
  void completionHistoryAcrossSessionsAndCtrlC() throws Exception {
    Path history = dir.resolve("history");
    try (TestSidecar sidecar = new TestSidecar(dir.resolve("data"))) {
      try (Keyboard k = new Keyboard(sidecar.url, history, "ansi")) {
        assertTrue(k.waitFor(PROMPT).contains("outlook-sync-shell: sidecar"));

        k.type("acc" + Keyboard.TAB);
        k.waitFor("accounts ");
        k.type(Keyboard.ENTER);
        String table = k.waitFor(PROMPT);
        assertTrue(table.contains("prod/8") && table.contains("NEEDS_REAUTH"), table);
        assertTrue(k.raw().contains("\033[31mNEEDS_REAUTH\033[0m"), "a colour terminal shows colour");

        // User logins complete from the account list fetched at start.
        k.type("show b" + Keyboard.TAB);
        k.waitFor("show bob ");
        k.type(Keyboard.ENTER);
        assertTrue(k.waitFor(PROMPT).contains("token refresh failed: invalid_grant"));

        // Options and their values complete too.
        k.type("accounts --st" + Keyboard.TAB);
        k.waitFor("--state ");
        k.type("NEE" + Keyboard.TAB);
        k.waitFor("NEEDS_REAUTH ");
        k.type(Keyboard.ENTER);
        String only = k.waitFor(PROMPT);
        assertTrue(only.contains("prod/8") && !only.contains("prod/7"), only);

        // Ctrl-C drops a half-typed line; the shell keeps running and the line never ran.
        k.type("pause ali");
        k.waitFor("pause ali");
        k.type(Keyboard.CTRL_C);
        k.waitFor(PROMPT);
        k.type("health" + Keyboard.ENTER);
        assertTrue(k.waitFor(PROMPT).contains("store    ok"));
        assertEquals(AccountState.CONNECTED, sidecar.state(sidecar.alice));

        // `!` is no history expansion: the line reaches the command as typed.
        k.type("show !x" + Keyboard.ENTER);
        assertTrue(k.waitFor(PROMPT).contains("no account with the login !x"));

        k.type(Keyboard.CTRL_D);
        assertEquals(0, k.exitCode());
      }
      List<String> saved = Files.readAllLines(history, StandardCharsets.UTF_8);
      String all = String.join("\n", saved);
      assertTrue(all.contains("accounts") && all.contains("show bob") && all.contains("health"), all);
      assertFalse(all.contains("pause ali"), "a cancelled line is not history: " + all);

      // A new session recalls the previous one's lines.
      try (Keyboard k = new Keyboard(sidecar.url, history, "ansi")) {
        k.waitFor(PROMPT);
        k.type(Keyboard.UP + Keyboard.UP);
        k.waitFor("health");
        k.type(Keyboard.ENTER);
        assertTrue(k.waitFor(PROMPT).contains("status   degraded"));
        k.type("quit" + Keyboard.ENTER);
        assertEquals(0, k.exitCode());
      }
    }
  }

  @Test
  void aDumbTerminalGetsNoColour() throws Exception {
    try (TestSidecar sidecar = new TestSidecar(dir.resolve("data"));
         Keyboard k = new Keyboard(sidecar.url, dir.resolve("history"), "dumb")) {
      k.waitFor(PROMPT);
      k.type("accounts" + Keyboard.ENTER);
      assertTrue(k.waitFor(PROMPT).contains("NEEDS_REAUTH"));
      k.type("exit" + Keyboard.ENTER);
      assertEquals(0, k.exitCode());
      assertFalse(k.raw().contains("\033["), k.raw());
    }
  }

  @Test
  void failuresAreReportedAndTheShellCarriesOn() throws Exception {
    try (TestSidecar sidecar = new TestSidecar(dir.resolve("data"));
         Keyboard k = new Keyboard(sidecar.url, dir.resolve("history"), "ansi")) {
      k.waitFor(PROMPT);
      k.type("frobnicate" + Keyboard.ENTER);
      assertTrue(k.waitFor(PROMPT).contains("unknown command frobnicate"));
      k.type("pause bob" + Keyboard.ENTER);
      assertTrue(k.waitFor(PROMPT).contains("only a connected account can be paused"));
      k.type("pause alice" + Keyboard.ENTER);
      assertTrue(k.waitFor(PROMPT).contains("prod/7 is PAUSED"));

      // stop --all asks first; anything but yes keeps every account as it was.
      k.type("stop --all" + Keyboard.ENTER);
      assertTrue(k.waitFor("[y/N] ").contains("stop all 3 account(s)?"));
      k.type("n" + Keyboard.ENTER);
      assertTrue(k.waitFor(PROMPT).contains("nothing stopped"));
      assertEquals(AccountState.NEEDS_REAUTH, sidecar.state(sidecar.bob));
      k.type("stop --all" + Keyboard.ENTER);
      k.waitFor("[y/N] ");
      k.type("yes" + Keyboard.ENTER);
      assertTrue(k.waitFor(PROMPT).contains("3 account(s) stopped"));
      assertEquals(AccountState.STOPPED, sidecar.state(sidecar.bob));
      k.type("quit" + Keyboard.ENTER);
      assertEquals(0, k.exitCode());
    }
    List<String> history = Files.readAllLines(dir.resolve("history"), StandardCharsets.UTF_8);
    assertTrue(history.stream().anyMatch(l -> l.endsWith("stop --all")), history.toString());
    assertFalse(history.stream().anyMatch(l -> l.endsWith("yes") || l.endsWith(":n")), "answers are no commands: " + history);
  }

  @Test
  void aTrailingBackslashOrAnOpenQuoteContinuesTheCommand() throws Exception {
    Path history = dir.resolve("history");
    try (TestSidecar sidecar = new TestSidecar(dir.resolve("data"));
         Keyboard k = new Keyboard(sidecar.url, history, "ansi")) {
      k.waitFor(PROMPT);
      k.type("accounts \\" + Keyboard.ENTER);
      k.waitFor("...> ");
      k.type("--st" + Keyboard.TAB);
      k.waitFor("--state ");
      k.type("PAUSED" + Keyboard.ENTER);
      assertTrue(k.waitFor(PROMPT).contains("no account is PAUSED"));
      k.type("show 'prod/7" + Keyboard.ENTER);
      k.waitFor("...> ");
      k.type("'" + Keyboard.ENTER);
      // The quoted word spans the line break, so it names no user: the command sees exactly what was typed.
      assertTrue(k.waitFor(PROMPT).contains("a user is <db>/<userId>"));
      k.type("quit" + Keyboard.ENTER);
      assertEquals(0, k.exitCode());
    }
    assertTrue(Files.readString(history, StandardCharsets.UTF_8).contains("accounts \\"), "the whole command is history");
  }

  /** A stand-in sidecar whose user status never answers, to cancel a command in flight. */
  @Test
  void ctrlCCancelsARunningCommandOnly() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    HttpServer stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    stub.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      String body = path.equals("/healthz") ? "{\"status\": \"ok\", \"version\": \"stub\"}"
          : path.equals("/api/accounts") ? "{\"accounts\": []}" : "{}";
      if (path.startsWith("/api/users/")) {
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    stub.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    stub.start();
    try (Keyboard k = new Keyboard("http://127.0.0.1:" + stub.getAddress().getPort(), dir.resolve("history"), "ansi")) {
      k.waitFor(PROMPT);
      k.type("show prod/7" + Keyboard.ENTER);
      k.waitFor("show prod/7");
      Thread.sleep(300); // let the request leave
      long start = System.nanoTime();
      k.type(Keyboard.CTRL_C);
      assertTrue(k.waitFor(PROMPT).contains("cancelled"));
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "cancelled before the 10 s timeout");
      k.type("health" + Keyboard.ENTER);
      assertTrue(k.waitFor(PROMPT).contains("status   ok"));
      k.type("quit" + Keyboard.ENTER);
      assertEquals(0, k.exitCode());
    } finally {
      release.countDown();
      stub.stop(0);
    }
  }
}
