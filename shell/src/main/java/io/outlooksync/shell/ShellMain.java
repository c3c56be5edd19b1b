package io.outlooksync.shell;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code outlook-sync-shell}: the administrator's view of a running sidecar, through its signed API. One command
 * with {@code -c}, otherwise an interactive JLine shell. It never opens the sidecar's database files.
 */
public final class ShellMain {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private ShellMain() {}

  public static void main(String[] args) {
    int code = run(Arrays.asList(args), System.getenv(), System.out, System.err, null);
    System.exit(code);
  }

  /**
   * Runs the shell; returns the exit code. {@code terminal} is for tests of the interactive mode (a JLine
   * terminal over piped streams); null builds the system terminal.
   */
  public static int run(List<String> args, Map<String, String> env, OutputStream stdout, OutputStream stderr,
      org.jline.terminal.Terminal terminal) {
    PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8), true);
    Options options;
    try {
      options = Options.parse(args, env);
    } catch (ShellException e) {
      err.println("outlook-sync-shell: " + e.getMessage());
      err.println(Options.USAGE);
      return e.exitCode();
    }
    if (options.help()) {
      out.println(Options.USAGE);
      return 0;
    }
    AdminClient client = new AdminClient(options.sidecar(), options.secret(), TIMEOUT);
    if (options.command() != null) {
      return once(options.command(), client, out, err);
    }
    try {
      return new Interactive(client, options.history(), env).run(terminal, err);
    } catch (IOException e) {
      err.println("outlook-sync-shell: cannot open the terminal: " + e.getMessage());
      return ShellException.FAILED;
    }
  }

  /** {@code -c}: one command, plain output, the exit code says how it went. */
  static int once(String line, AdminClient client, PrintWriter out, PrintWriter err) {
    Session session = new Session(client, new Output(out, err, false), Commands.standard());
    try {
      session.commands().run(line, session);
      return 0;
    } catch (ShellException e) {
      err.println("outlook-sync-shell: " + e.getMessage());
      return e.exitCode();
    } finally {
      out.flush();
      err.flush();
    }
  }
}
