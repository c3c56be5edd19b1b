package io.outlooksync.shell;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shell as its own process in a real pseudo-terminal (tmux): JLine's native system terminal, not a test
 * stand-in. Skipped where tmux is not installed.
 */
class PseudoTerminalTest {
  @TempDir
  Path dir;
  String socket;

  @AfterEach
  void killTmux() throws Exception {
    if (socket != null) {
      tmux("kill-server");
    }
  }

  @Test
  void completesRunsAndExitsInARealTerminal() throws Exception {
    assumeTrue(onPath("tmux"), "tmux is not installed");
    try (TestSidecar sidecar = new TestSidecar(dir.resolve("data"))) {
      socket = "outlook-sync-shell-test-" + ProcessHandle.current().pid();
      Path history = dir.resolve("history");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String shell = String.join(" ", List.of(quote(java), "--enable-native-access=ALL-UNNAMED",
          "-cp", quote(System.getProperty("java.class.path")), "io.outlooksync.shell.ShellMain",
          "--sidecar", sidecar.url, "--history", quote(history.toString())));
      // The pane stays after the shell exits, showing its exit code.
      String script = "OUTLOOK_SYNC_API_SHARED_SECRET=" + TestSidecar.SECRET + " TERM=xterm-256color " + shell
          + " 2>&1; echo \"shell exited $?\"; sleep 60";
      tmux("new-session", "-d", "-s", "t", "-x", "160", "-y", "45", "sh", "-c", script);

      waitForPrompt();
      tmux("send-keys", "-t", "t", "acc", "Tab");
      waitForScreen("outlook-sync> accounts");
      tmux("send-keys", "-t", "t", "Enter");
      waitForScreen("NEEDS_REAUTH");
      waitForPrompt();
      tmux("send-keys", "-t", "t", "show al", "Tab", "Enter");
      waitForScreen("alice@example.com");
      // Keys typed while a command runs meet the tty in cooked mode, where Ctrl-D is no key: wait for the prompt.
      waitForPrompt();
      tmux("send-keys", "-t", "t", "C-d");
      String screen = waitForScreen("shell exited 0");
      assertFalse(screen.contains("WARNING"), screen);
      String saved = Files.readString(history, StandardCharsets.UTF_8);
      assertTrue(saved.contains("accounts") && saved.contains("show alice"), saved);
      // Colour reached the real terminal.
      assertTrue(tmux("capture-pane", "-p", "-e", "-t", "t").contains("\033["), "no colour on a colour terminal");
    }
  }

  /** Waits until the last line on the screen is an empty prompt. */
  private void waitForPrompt() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    String screen = "";
    while (System.nanoTime() < deadline) {
      screen = tmux("capture-pane", "-p", "-t", "t").strip();
      if (screen.endsWith("\noutlook-sync>")) {
        return;
      }
      Thread.sleep(50);
    }
    fail("waited 20 s for an empty prompt; the screen:\n" + screen);
  }

  private String waitForScreen(String text) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    String screen = "";
    while (System.nanoTime() < deadline) {
      screen = tmux("capture-pane", "-p", "-t", "t");
      if (screen.contains(text)) {
        return screen;
      }
      Thread.sleep(50);
    }
    return fail("waited 20 s for " + text + "; the screen:\n" + screen);
  }

  private String tmux(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static boolean onPath(String program) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
        return true;
      }
    }
    return false;
  }
}
