package io.outlooksync.shell.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.outlooksync.shell.Command;
import io.outlooksync.shell.Output;
import io.outlooksync.shell.Session;
import io.outlooksync.shell.ShellException;
import io.outlooksync.shell.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

public final class RunsCommand implements Command {
  @Override
  public String name() {
    return "runs";
  }

  @Override
  public String usage() {
    return "runs <user> [--limit N]";
  }

  @Override
  public String summary() {
    return "a user's latest sync runs and resets (the journal)";
  }

  @Override
  public String help() {
    return "Lists the user's latest runs, newest first: when, why (api, api-dry-run, reset, ...), dry run or not,\n"
        + "how it ended (SUCCEEDED, FAILED, ABANDONED by a crash, RUNNING), its actions by kind and its errors.\n"
        + "`run <id>` shows one in full; `replay <id>` plans it again.\n"
        + "--limit N  at most N runs (default 20)";
  }

  @Override
  public boolean readsOnly() {
    return true;
  }

  @Override
  public List<String> candidates(List<String> before, Session session) {
    return before.isEmpty() ? session.userCandidates() : List.of("--limit");
  }

  @Override
  public void run(List<String> args, Session session) throws ShellException {
    Flags f = Flags.parse(this, args, Set.of(), Set.of("--limit"));
    Args.exactly(this, f.words, 1);
    JsonNode r = session.client().get(session.userPath(f.words.get(0)) + "/runs?limit=" + f.number("--limit", 20));
    Output out = session.out();
    Table t = new Table("RUN", "STARTED", "CAUSE", "DRY", "STATUS", "ACTIONS", "ERRORS").style(4, s -> status(s, out));
    List<String> ids = new ArrayList<>();
    for (JsonNode run : r.path("runs")) {
      ids.add(run.path("id").asText());
      List<String> counts = new ArrayList<>();
      for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) () -> run.path("counts").fields()) {
        counts.add(e.getKey() + " " + e.getValue().asInt());
      }
      t.row(run.path("id").asText(), run.path("started_at").asText(), run.path("cause").asText(), run.path("dry_run").asBoolean() ? "yes" : "no",
          run.path("status").asText(), counts.isEmpty() ? "-" : String.join(", ", counts), run.path("errors").asText("0"));
    }
    session.rememberRuns(ids);
    if (t.isEmpty()) {
      out.println("no runs yet");
      return;
    }
    t.print(out);
  }

  static String status(String s, Output out) {
    switch (s) {
      case "SUCCEEDED":
        return out.style(s, Output.Style.GREEN);
      case "FAILED":
      case "ABANDONED":
        return out.style(s, Output.Style.RED);
      default:
        return out.style(s, Output.Style.YELLOW);
    }
  }
}
