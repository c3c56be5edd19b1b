package io.outlooksync.shell;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The command line: where the sidecar is, the shared secret, one command or the interactive shell. */
record Options(URI sidecar, String secret, String command, Path history, boolean help, Path dataDir, boolean jshell) {
  static final String DEFAULT_SIDECAR = "http://127.0.0.1:8077";
  static final String SECRET_ENV = "OUTLOOK_SYNC_API_SHARED_SECRET";

  static final String USAGE = String.join("\n",
      "usage: outlook-sync-shell [--sidecar URL] [--secret-file FILE] [-c COMMAND] [--history FILE] [--jshell]",
      "       outlook-sync-shell --data-dir DIR [-c COMMAND]",
      "",
      "  --sidecar URL       the running sidecar's API (default " + DEFAULT_SIDECAR + ")",
      "  --secret-file FILE  the API shared secret, first line of FILE; otherwise " + SECRET_ENV,
      "  -c COMMAND          run one command and exit (for scripts; never coloured)",
      "  --history FILE      interactive history (default ~/.outlook-sync-shell_history)",
      "  --jshell            start in the JShell mode (Java snippets, `admin` bound to the API)",
      "  --data-dir DIR      no sidecar running: open its store under DIR read-only (a post-mortem)",
      "",
      "Without -c: an interactive shell on a terminal; commands piped in run as a script, one a line.",
      "Exit codes: 0 ok, 1 the command failed, 2 usage error, 3 the sidecar cannot be reached.",
      "`-c help` lists the commands; docs/shell.md explains them.");

  static Options parse(List<String> args, Map<String, String> env) throws ShellException {
    String sidecar = DEFAULT_SIDECAR;
    String secretFile = null;
    String command = null;
    String history = null;
    String dataDir = null;
    boolean jshell = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      String name = a.contains("=") && a.startsWith("--") ? a.substring(0, a.indexOf('=')) : a;
      String inline = name.equals(a) ? null : a.substring(a.indexOf('=') + 1);
      switch (name) {
        case "-h":
        case "--help":
          return new Options(URI.create(DEFAULT_SIDECAR), null, null, null, true, null, false);
        case "--jshell":
          jshell = true;
          break;
        case "--sidecar":
        case "--secret-file":
        case "-c":
        case "--history":
        case "--data-dir":
          String value = inline;
          if (value == null) {
            if (i + 1 >= args.size()) {
              throw ShellException.usage(name + " needs a value");
            }
            value = args.get(++i);
          }
          switch (name) {
            case "--sidecar":
              sidecar = value;
              break;
            case "--secret-file":
              secretFile = value;
              break;
            case "-c":
              command = value;
              break;
            case "--data-dir":
              dataDir = value;
              break;
            default:
              history = value;
          }
          break;
        default:
          throw ShellException.usage("unknown option " + a);
      }
    }
    return new Options(sidecarUri(sidecar), secret(secretFile, env), command,
        history == null ? Path.of(System.getProperty("user.home"), ".outlook-sync-shell_history") : Path.of(history), false,
        dataDir == null ? null : Path.of(dataDir), jshell);
  }

  private static URI sidecarUri(String s) throws ShellException {
    URI u;
    try {
      u = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    } catch (IllegalArgumentException e) {
      throw ShellException.usage("--sidecar is not a URL: " + s);
    }
    if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null
        || (u.getPath() != null && !u.getPath().isEmpty())) {
      throw ShellException.usage("--sidecar must be http(s)://host:port with no path, e.g. " + DEFAULT_SIDECAR);
    }
    return u;
  }

  /** The file wins over the environment; blank means none. */
  private static String secret(String file, Map<String, String> env) throws ShellException {
    if (file != null) {
      try {
        String first = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
        if (first.isEmpty()) {
          throw ShellException.usage("the secret file " + file + " is empty");
        }
        return first;
      } catch (IOException e) {
        throw ShellException.usage("cannot read the secret file " + file + ": " + e.getClass().getSimpleName());
      }
    }
    String v = env.get(SECRET_ENV);
    return v == null || v.isBlank() ? null : v.strip();
  }
}
