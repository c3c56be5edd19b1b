package io.outlooksync.shell;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
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
    int code = run(Arrays.asList(args), System.getenv(), null, System.out, System.err, null);
    System.exit(code);
  }

  /**
   * Runs the shell; returns the exit code. Without {@code -c}: interactive on {@code terminal} when one is given
   * (tests pass a JLine terminal over piped streams); else on the system terminal when standard input is one;
   * else the commands are read from {@code stdin} (null: {@code System.in}) as a script.
   */
  public static int run(List<String> args, Map<String, String> env, InputStream stdin, OutputStream stdout,
      OutputStream stderr, org.jline.terminal.Terminal terminal) {
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
    if (options.dataDir() == null) {
      return run(options, new AdminClient(options.sidecar(), options.secret(), TIMEOUT), env, stdin, out, err, terminal);
    }
    try (OfflineClient offline = OfflineClient.open(options.dataDir())) {
      return run(options, offline, env, stdin, out, err, terminal);
    } catch (ShellException e) {
      err.println("outlook-sync-shell: " + e.getMessage());
      return e.exitCode();
    }
  }

  private static int run(Options options, Api client, Map<String, String> env, InputStream stdin, PrintWriter out, PrintWriter err,
      org.jline.terminal.Terminal terminal) {
    if (options.command() != null) {
      return once(options.command(), client, out, err);
    }
    if (terminal == null && !Tty.stdinIsTerminal()) {
      return script(new BufferedReader(new InputStreamReader(stdin == null ? System.in : stdin, StandardCharsets.UTF_8)),
          client, out, err);
    }
    try {
      return new Interactive(client, options.history(), env, options.jshell()).run(terminal);
    } catch (IOException e) {
      err.println("outlook-sync-shell: cannot open the terminal: " + e.getMessage());
      return ShellException.FAILED;
    }
  }

  /**
   * Commands piped in, one a line, run like {@code -c}: plain output, no prompt; blank lines and lines starting
   * with {@code #} are skipped; the first failure stops the script with its exit code.
   */
  static int script(BufferedReader in, Api client, PrintWriter out, PrintWriter err) {
    Session session = new Session(client, new Output(out, err, false), Commands.standard());
    int number = 0;
    try {
      for (String line = in.readLine(); line != null && !session.quitting(); line = in.readLine()) {
        number++;
        if (line.isBlank() || line.strip().startsWith("#")) {
          continue;
        }
        session.commands().run(line, session);
      }
      return 0;
    } catch (ShellException e) {
      err.println("outlook-sync-shell: line " + number + ": " + e.getMessage());
      return e.exitCode();
    } catch (IOException e) {
      err.println("outlook-sync-shell: cannot read the commands: " + e.getMessage());
      return ShellException.FAILED;
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** {@code -c}: one command, plain output, the exit code says how it went. */
  static int once(String line, Api client, PrintWriter out, PrintWriter err) {
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
