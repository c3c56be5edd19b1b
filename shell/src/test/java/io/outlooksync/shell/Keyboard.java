package io.outlooksync.shell;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;

/**
 * The interactive shell on a JLine terminal over piped streams ({@link ExternalTerminal}, which JLine's own
 * tests use): keys go in as bytes, the screen comes back as text. Its line discipline works like a tty's: a
 * pump thread reads the keys as they arrive, so Ctrl-C raises SIGINT even while a command runs, and Ctrl-D is
 * the end-of-file character.
 */
final class Keyboard implements AutoCloseable {
  static final String TAB = "\t";
  static final String ENTER = "\r";
  static final String CTRL_C = "\003";
  static final String CTRL_D = "\004";
  static final String UP = "\033[A";

  private final PipedOutputStream keys = new PipedOutputStream();
  private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
  private final Terminal terminal;
  private final Thread shell;
  private volatile int exit = -1;
  private int seen;

  Keyboard(String url, Path history, String terminalType) throws IOException {
    this(url, TestSidecar.SECRET, history, terminalType);
  }

  Keyboard(String url, String secret, Path history, String terminalType) throws IOException {
    PipedInputStream in = new PipedInputStream(keys, 64 * 1024);
    terminal = new ExternalTerminal("test", terminalType, in, screen, StandardCharsets.UTF_8);
    terminal.setSize(Size.of(160, 50)); // piped streams have no size; JLine would wrap at column 1
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    shell = new Thread(() -> exit = ShellMain.run(List.of("--sidecar", url, "--history", history.toString()),
        Map.of("OUTLOOK_SYNC_API_SHARED_SECRET", secret), null, stdout, stdout, terminal), "shell-under-test");
    shell.setDaemon(true);
    shell.start();
  }

  void type(String text) throws IOException {
    keys.write(text.getBytes(StandardCharsets.UTF_8));
    keys.flush();
  }

  /** Everything printed so far, raw (with escape codes). */
  String raw() {
    synchronized (screen) {
      return screen.toString(StandardCharsets.UTF_8);
    }
  }

  /** Waits until the screen, past what earlier waits consumed and without escape codes, contains {@code text}. */
  String waitFor(String text) throws InterruptedException {
    return waitFor(text, 15);
  }

  /** {@link #waitFor(String)} with a longer patience, for slow starts (JShell's compiler on a busy machine). */
  String waitFor(String text, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      String fresh = plain(raw().substring(seen));
      int at = fresh.indexOf(text);
      if (at >= 0) {
        // Consume up to the match, measured on the raw text so the next wait starts after it.
        String raw = raw();
        int rawAt = seen;
        while (rawAt < raw.length() && !plain(raw.substring(seen, rawAt)).contains(text)) {
          rawAt++;
        }
        seen = rawAt;
        return fresh.substring(0, at + text.length());
      }
      Thread.sleep(20);
    }
    return fail("waited " + seconds + " s for " + text.replace("\033", "ESC") + "; the screen after the last match:\n"
        + plain(raw().substring(seen)));
  }

  int exitCode() throws InterruptedException {
    shell.join(TimeUnit.SECONDS.toMillis(15));
    if (shell.isAlive()) {
      fail("the shell did not exit; screen:\n" + plain(raw()));
    }
    return exit;
  }

  static String plain(String s) {
    return s.replaceAll("\033\\[[0-9;?]*[A-Za-z]", "").replace("\r", "");
  }

  @Override
  public void close() throws IOException {
    keys.close();
    terminal.close();
  }
}
