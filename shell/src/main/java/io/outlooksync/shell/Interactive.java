package io.outlooksync.shell;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.InfoCmp;

/**
 * The interactive shell: JLine line editing, history kept across sessions, Tab completion of commands, options
 * and users; Ctrl-C drops the current line or cancels the running command, Ctrl-D leaves.
 */
final class Interactive {
  private final Api client;
  private final Path history;
  private final Map<String, String> env;

  private final boolean startInJShell;

  Interactive(Api client, Path history, Map<String, String> env, boolean startInJShell) {
    this.client = client;
    this.history = history;
    this.env = env;
    this.startInJShell = startInJShell;
  }

  int run(Terminal given) throws IOException {
    // dumb(true) allows the dumb fallback (pipes, TERM=dumb) without JLine's warning about it.
    Terminal terminal = given != null ? given
        : TerminalBuilder.builder().name("outlook-sync-shell").system(true).dumb(true).build();
    try {
      PrintWriter w = terminal.writer();
      Output out = new Output(w, w, colours(terminal));
      Session session = new Session(client, out, Commands.standard());
      try {
        greet(session);
      } catch (ShellException e) {
        out.error(e.getMessage());
        return e.exitCode();
      }
      session.refreshAccountsQuietly();
      LineReader reader = reader(terminal, session);
      session.confirmWith(question -> ask(terminal, question));
      session.jshellWith(() -> new JShellMode(session).run(terminal));
      if (startInJShell) {
        new JShellMode(session).run(terminal);
      }
      String prompt = out.style("outlook-sync", Output.Style.BOLD) + "> ";
      while (!session.quitting()) {
        String line;
        try {
          line = reader.readLine(prompt);
        } catch (UserInterruptException e) {
          continue; // Ctrl-C on the prompt: forget the half-typed line, ask again
        } catch (EndOfFileException e) {
          break; // Ctrl-D on an empty line
        }
        execute(line, session, terminal);
      }
      reader.getHistory().save();
      return 0;
    } finally {
      if (given == null) {
        terminal.close();
      }
    }
  }

  /** A yes/no question on its own reader, so that answers stay out of the command history. */
  private static boolean ask(Terminal terminal, String question) {
    try {
      String answer = LineReaderBuilder.builder().terminal(terminal).build().readLine(question + " [y/N] ").strip();
      return answer.equalsIgnoreCase("y") || answer.equalsIgnoreCase("yes");
    } catch (UserInterruptException | EndOfFileException e) {
      return false;
    }
  }

  /** Colour when the terminal can show it; never on a dumb terminal (pipes, TERM=dumb) or with NO_COLOR set. */
  private boolean colours(Terminal terminal) {
    if (env.containsKey("NO_COLOR") || terminal.getType() == null || terminal.getType().startsWith(Terminal.TYPE_DUMB)) {
      return false;
    }
    Integer colours = terminal.getNumericCapability(InfoCmp.Capability.max_colors);
    return colours != null && colours >= 8;
  }

  private void greet(Session session) throws ShellException {
    Output out = session.out();
    if (client.readOnly()) {
      out.println("outlook-sync-shell: read-only post-mortem of " + client.base() + " (no sidecar running). Commands that"
          + " read work: accounts, show, mappings, runs, run, replay, jshell. Ctrl-D leaves.");
      return;
    }
    JsonNode h = client.health().json();
    out.println("outlook-sync-shell: sidecar " + h.path("version").asText("?") + " at " + client.base() + ", status "
        + h.path("status").asText("?") + ". `help` lists the commands; Tab completes; Ctrl-D leaves.");
    try {
      session.client().get("/api/status");
    } catch (ShellException e) {
      out.error("warning: " + e.getMessage() + "; only `health` works until this is fixed");
    }
  }

  private LineReader reader(Terminal terminal, Session session) {
    return LineReaderBuilder.builder()
        .terminal(terminal)
        .appName("outlook-sync-shell")
        .parser(new ShellParser())
        .completer(new ShellCompleter(session))
        .variable(LineReader.HISTORY_FILE, history)
        .variable(LineReader.HISTORY_SIZE, 1000)
        .variable(LineReader.SECONDARY_PROMPT_PATTERN, "%P ...> ")
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // `!` is no history expansion here
        .option(LineReader.Option.HISTORY_IGNORE_DUPS, true)
        .build();
  }

  /**
   * Runs one line, then refreshes the account list for completion. Ctrl-C meanwhile interrupts this thread,
   * which abandons the HTTP call in flight (and skips the refresh).
   */
  private static void execute(String line, Session session, Terminal terminal) {
    Thread self = Thread.currentThread();
    Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, s -> self.interrupt());
    try {
      try {
        session.commands().run(line, session);
      } catch (ShellException e) {
        session.out().error(e.getMessage());
      } catch (RuntimeException e) {
        session.out().error("internal error: " + e);
      }
      if (!Thread.currentThread().isInterrupted()) {
        session.refreshAccountsQuietly();
      }
    } finally {
      terminal.handle(Terminal.Signal.INT, previous);
      Thread.interrupted(); // a late Ctrl-C must not hit the next prompt
    }
  }
}
