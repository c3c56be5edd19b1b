package io.outlooksync.shell.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.outlooksync.shell.Command;
import io.outlooksync.shell.Output;
import io.outlooksync.shell.Session;
import io.outlooksync.shell.ShellException;
import io.outlooksync.shell.Table;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public final class ReplayCommand implements Command {
  @Override
  public String name() {
    return "replay";
  }

  @Override
  public String usage() {
    return "replay <run-id>";
  }

  @Override
  public String summary() {
    return "plan a recorded run again from its recorded input and compare (touches neither side)";
  }

  @Override
  public String help() {
    return "Plans the run again from the input its journal recorded (the mapped pairs, both sides' content, the\n"
        + "new events, the options) and shows the new plan next to the recorded one. Nothing is read from\n"
        + "Outlook or Odoo and nothing is written. Same actions: \"reproduced\" (the decision follows from what\n"
        + "the run saw: look at its input, `run <id> --inputs`); different: the decision changed since (a\n"
        + "newer engine), and the differences are listed. Runs that failed before planning, or whose input\n"
        + "was too big for the journal, cannot be replayed (exit 1).";
  }

  @Override
  public boolean readsOnly() {
    return true;
  }

  @Override
  public List<String> candidates(List<String> before, Session session) {
    return before.isEmpty() ? session.runIds() : List.of();
  }

  @Override
  public void run(List<String> args, Session session) throws ShellException {
    Args.exactly(this, args, 1);
    long id = Flags.runId(args.get(0));
    JsonNode r = session.client().get("/api/runs/" + id + "/replay");
    Output out = session.out();
    if (!r.path("replayable").asBoolean()) {
      throw ShellException.failed("run " + id + " cannot be replayed: " + r.path("why_not").asText());
    }
    Map<String, String[]> byId = new LinkedHashMap<>();
    r.path("recorded").forEach(a -> byId.computeIfAbsent(a.path("id").asText(), k -> new String[] {"-", "-", ""})[0] = a.path("kind").asText());
    for (JsonNode a : r.path("replayed")) {
      String[] row = byId.computeIfAbsent(a.path("id").asText(), k -> new String[] {"-", "-", ""});
      row[1] = a.path("kind").asText();
      row[2] = a.path("reason").asText();
    }
    Table t = new Table("ACTION ID", "RECORDED", "REPLAYED", "MATCH", "WHY (REPLAY)")
        .style(3, s -> s.equals("differs") ? out.style(s, Output.Style.RED) : s);
    byId.forEach((actionId, row) -> t.row(actionId, row[0], row[1], row[0].equals(row[1]) ? "same" : "differs", row[2]));
    if (!t.isEmpty()) {
      t.print(out);
      out.println("");
    }
    if (r.path("reproduced").asBoolean()) {
      out.println(out.style("reproduced", Output.Style.GREEN) + ": the same " + r.path("replayed").size()
          + " action(s) from the recorded input (Outlook and Odoo untouched)");
      return;
    }
    out.println(out.style("not reproduced", Output.Style.RED) + ": the plan differs from the recorded one:");
    r.path("differences").forEach(d -> out.println("  " + d.asText()));
  }
}
