package io.outlooksync.shell;

import java.io.File;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import org.jline.reader.Candidate;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * The {@code jshell} mode: Java snippets in this process (JShell's local engine, guarded against
 * {@code System.exit} by {@link ExitGuard}) with {@code admin} bound to the sidecar's API ({@link Admin}).
 * Completion is JShell's own analysis; Ctrl-C stops a running snippet ({@link JShell#stop()}); {@code /exit}
 * returns to the command shell.
 */
final class JShellMode {
  static final String PRELUDE = "import com.fasterxml.jackson.databind.JsonNode;\n"
      + "import io.outlooksync.shell.Admin;\n"
      + "import java.util.*;\n"
      + "var admin = Admin.bound();\n";

  private final Session session;
  private final ExitGuard guard = new ExitGuard();

  JShellMode(Session session) {
    this.session = session;
  }

  /** A JShell with the shell's classes on its class path and {@code admin} bound. */
  JShell open() {
    Admin.bind(new Admin(session));
    JShell shell = JShell.builder().executionEngine(guard, java.util.Map.of()).out(System.out).err(System.err).build();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        shell.addToClasspath(entry);
      }
    }
    for (String snippet : PRELUDE.split("\n")) {
      shell.eval(snippet);
    }
    return shell;
  }

  /** The interactive loop on {@code terminal} until {@code /exit} or Ctrl-D. */
  void run(Terminal terminal) {
    Output out = session.out();
    try (JShell shell = open()) {
      out.println("jshell: Java snippets; `admin` is the sidecar's API (admin.accounts(), admin.mappings(\"alice\"),"
          + " admin.replay(12), ...). Tab completes; Ctrl-C stops a snippet; /exit returns to the shell.");
      LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("outlook-sync-jshell")
          .completer((r, line, candidates) -> complete(shell, line.line(), line.cursor(), candidates))
          .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
          .variable(LineReader.SECONDARY_PROMPT_PATTERN, "...> ")
          .build();
      StringBuilder pending = new StringBuilder();
      while (true) {
        String line;
        try {
          line = reader.readLine(pending.length() == 0 ? "jshell> " : "   ...> ");
        } catch (UserInterruptException e) {
          pending.setLength(0);
          continue;
        } catch (EndOfFileException e) {
          return;
        }
        if (pending.length() == 0 && line.strip().startsWith("/")) {
          if (command(shell, line.strip(), out)) {
            return;
          }
          continue;
        }
        pending.append(line).append('\n');
        SourceCodeAnalysis.CompletionInfo info = shell.sourceCodeAnalysis().analyzeCompletion(pending.toString());
        if (info.completeness() == SourceCodeAnalysis.Completeness.DEFINITELY_INCOMPLETE) {
          continue;
        }
        String source = pending.toString();
        pending.setLength(0);
        evalAll(shell, source, terminal, out);
      }
    }
  }

  /** {@code /exit} (true: leave), {@code /vars}, {@code /help}. */
  private static boolean command(JShell shell, String line, Output out) {
    switch (line) {
      case "/exit":
      case "/quit":
        return true;
      case "/vars":
        shell.variables().forEach(v -> out.println(v.typeName() + " " + v.name() + " = " + shell.varValue(v)));
        return false;
      default:
        out.println("/exit returns to the command shell; /vars lists the variables. Anything else is Java.");
        return false;
    }
  }

  /** Evaluates every snippet in {@code source}, one by one; Ctrl-C meanwhile stops the one running. */
  void evalAll(JShell shell, String source, Terminal terminal, Output out) {
    // A stopped snippet ends without an exception in its events: the flag is how we know to say so.
    AtomicBoolean stopped = new AtomicBoolean();
    AtomicBoolean done = new AtomicBoolean();
    Terminal.SignalHandler previous = terminal == null ? null : terminal.handle(Terminal.Signal.INT, s -> {
      if (stopped.getAndSet(true)) {
        return;
      }
      // stop() only stops code already running: a Ctrl-C while the snippet still compiles must wait for it.
      Thread stopper = new Thread(() -> {
        while (!done.get()) {
          shell.stop();
          try {
            Thread.sleep(100);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "jshell-stop");
      stopper.setDaemon(true);
      stopper.start();
    });
    try {
      String rest = source;
      while (!rest.isBlank()) {
        SourceCodeAnalysis.CompletionInfo info = shell.sourceCodeAnalysis().analyzeCompletion(rest);
        String snippet = info.source() == null ? rest : info.source();
        List<SnippetEvent> events = shell.eval(snippet);
        if (stopped.get()) {
          out.error("stopped");
          return;
        }
        events.forEach(e -> report(shell, e, out));
        guard.refusal().ifPresent(out::error);
        rest = info.source() == null ? "" : info.remaining();
      }
    } finally {
      done.set(true);
      if (terminal != null) {
        terminal.handle(Terminal.Signal.INT, previous);
      }
    }
  }

  private static void report(JShell shell, SnippetEvent e, Output out) {
    if (e.causeSnippet() != null) {
      return; // a dependent snippet's status change
    }
    if (e.exception() != null) {
      if (e.exception() instanceof EvalException ee) {
        String type = ee.getExceptionClassName();
        out.error(type.substring(type.lastIndexOf('.') + 1) + (ee.getMessage() == null ? "" : ": " + ee.getMessage()));
      } else if (e.exception() instanceof UnresolvedReferenceException u) {
        out.error("unresolved: " + u.getSnippet().source().strip());
      } else {
        out.error(String.valueOf(e.exception().getMessage()));
      }
      return;
    }
    if (e.status() == Snippet.Status.REJECTED) {
      List<Diag> diags = shell.diagnostics(e.snippet()).collect(Collectors.toList());
      if (diags.isEmpty()) {
        out.error("rejected");
      }
      diags.forEach(d -> out.error(d.getMessage(null)));
      return;
    }
    if (e.value() != null && e.snippet().kind() != Snippet.Kind.IMPORT
        && !(e.snippet().kind() == Snippet.Kind.STATEMENT && e.value().isEmpty())) {
      String name = e.snippet() instanceof jdk.jshell.VarSnippet v ? v.name() + " ==> " : "";
      out.println(name + e.value());
    }
  }

  private static void complete(JShell shell, String line, int cursor, List<Candidate> candidates) {
    int[] anchor = new int[1];
    List<SourceCodeAnalysis.Suggestion> suggestions = shell.sourceCodeAnalysis().completionSuggestions(line, cursor, anchor);
    String head = line.substring(0, anchor[0]);
    for (SourceCodeAnalysis.Suggestion s : suggestions) {
      // JLine matches candidates against the whole word being typed; JShell's are from the anchor on.
      String word = head.substring(Math.max(head.lastIndexOf(' '), Math.max(head.lastIndexOf('('), head.lastIndexOf(','))) + 1);
      candidates.add(new Candidate(word + s.continuation(), s.continuation(), null, null, null, null, false));
    }
  }
}
