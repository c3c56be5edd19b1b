package io.outlooksync.shell.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.outlooksync.shell.AccountView;
import io.outlooksync.shell.Command;
import io.outlooksync.shell.Output;
import io.outlooksync.shell.Session;
import io.outlooksync.shell.ShellException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public final class TailCommand implements Command {
  /** How long one poll waits for a new line, within the client's 10 s timeout. */
  static final int WAIT_SECONDS = 5;
  private static final Pattern FIELD = Pattern.compile("(\\S+?)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)");

  @Override
  public String name() {
    return "tail";
  }

  @Override
  public String usage() {
    return "tail [--user <user>] [--grep TEXT] [-n N] [--once]";
  }

  @Override
  public String summary() {
    return "follow the sidecar's log (secrets are never shown); Ctrl-C returns to the prompt";
  }

  @Override
  public String help() {
    return "Prints the sidecar's latest log lines, then new ones as they come, until Ctrl-C. The lines are the\n"
        + "sidecar's own (logfmt), after its redaction guard: tokens, secrets, codes and signatures show as ***.\n"
        + "The sidecar keeps the last 2000 lines in memory; older ones are in its journal (journalctl).\n"
        + "--user <user>  only lines about that user's account (account=ID)\n"
        + "--grep TEXT    only lines containing TEXT\n"
        + "-n N           start with the last N lines (default 20)\n"
        + "--once         print them and stop, without following";
  }

  @Override
  public List<String> candidates(List<String> before, Session session) {
    if (!before.isEmpty() && "--user".equals(before.get(before.size() - 1))) {
      return session.userCandidates();
    }
    return List.of("--user", "--grep", "-n", "--once");
  }

  @Override
  public void run(List<String> args, Session session) throws ShellException {
    List<String> normalized = args.stream().map(a -> "-n".equals(a) ? "--lines" : a).toList();
    Flags f = Flags.parse(this, normalized, Set.of("--once"), Set.of("--user", "--grep", "--lines"));
    Args.exactly(this, f.words, 0);
    StringBuilder filter = new StringBuilder();
    if (f.value("--user").isPresent()) {
      AccountView a = AccountView.of(session.client().get(session.userPath(f.value("--user").get()) + "/status"));
      filter.append("&account=").append(a.id());
    }
    if (f.value("--grep").isPresent()) {
      filter.append("&grep=").append(URLEncoder.encode(f.value("--grep").get(), StandardCharsets.UTF_8));
    }
    Output out = session.out();
    int lines = f.number("--lines", 20);
    JsonNode slice = session.client().get("/api/logs?limit=" + lines + filter);
    while (true) {
      if (slice.path("dropped").asLong() > 0) {
        out.println(out.style("... " + slice.path("dropped").asLong() + " line(s) no longer in the sidecar's memory", Output.Style.DIM));
      }
      slice.path("lines").forEach(l -> out.println(style(l.path("line").asText(), out)));
      if (f.has("--once")) {
        return;
      }
      long next = slice.path("next").asLong();
      try {
        slice = session.client().get("/api/logs?after=" + next + "&limit=500&wait=" + WAIT_SECONDS + filter);
      } catch (ShellException e) {
        if ("cancelled".equals(e.getMessage())) {
          return; // Ctrl-C: back to the prompt
        }
        throw e;
      }
    }
  }

  private static String style(String line, Output out) {
    if (line.contains(" level=error ")) {
      return out.style(line, Output.Style.RED);
    }
    return line.contains(" level=warn ") ? out.style(line, Output.Style.YELLOW) : line;
  }

  /** A progress line for `sync`: the message and the fields that matter, without time, level, logger and account. */
  static String progress(String line) {
    StringBuilder b = new StringBuilder();
    Matcher m = FIELD.matcher(line);
    while (m.find()) {
      String key = m.group(1);
      String value = m.group(2);
      if (value.startsWith("\"")) {
        value = value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
      }
      if (key.equals("msg")) {
        b.insert(0, value);
      } else if (!Set.of("ts", "level", "logger", "account").contains(key)) {
        b.append(' ').append(key).append('=').append(value);
      }
    }
    return b.toString();
  }
}
