package io.outlooksync.shell.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.outlooksync.shell.Command;
import io.outlooksync.shell.Output;
import io.outlooksync.shell.Session;
import io.outlooksync.shell.ShellException;
import java.util.List;
import java.util.Set;

public final class RunCommand implements Command {
  @Override
  public String name() {
    return "run";
  }

  @Override
  public String usage() {
    return "run <run-id> [--inputs]";
  }

  @Override
  public String summary() {
    return "one run from the journal: inputs, plan, e-mails, outcome, errors";
  }

  @Override
  public String help() {
    return "Shows one run: who, when, why, how it ended; a summary of what it read (mapped pairs with a change,\n"
        + "events new on each side, notes); its plan, action by action with the ids each touches; the e-mails\n"
        + "Outlook was told to send; and the errors.\n"
        + "--inputs  also prints the whole recorded input as JSON (event contents included: mind where it goes)";
  }

  @Override
  public boolean readsOnly() {
    return true;
  }

  @Override
  public List<String> candidates(List<String> before, Session session) {
    return before.isEmpty() ? session.runIds() : List.of("--inputs");
  }

  @Override
  public void run(List<String> args, Session session) throws ShellException {
    Flags f = Flags.parse(this, args, Set.of("--inputs"), Set.of());
    Args.exactly(this, f.words, 1);
    long id = Flags.runId(f.words.get(0));
    JsonNode r = session.client().get("/api/runs/" + id + (f.has("--inputs") ? "?inputs=true" : ""));
    print(r, session.out());
    if (f.has("--inputs")) {
      session.out().println("");
      session.out().println(r.path("inputs").toPrettyString());
    }
  }

  static void print(JsonNode r, Output out) {
    out.println("run         " + out.style(r.path("id").asText(), Output.Style.BOLD) + " of " + PlanView.text(r, "user")
        + " (account " + r.path("account_id").asText() + ")");
    out.println("cause       " + r.path("cause").asText() + (r.path("dry_run").asBoolean() ? ", dry run" : ""));
    out.println("status      " + RunsCommand.status(r.path("status").asText(), out));
    out.println("started     " + PlanView.text(r, "started_at") + ", finished " + PlanView.text(r, "finished_at"));
    JsonNode in = r.path("inputs_summary");
    out.println("window      " + PlanView.text(in, "window_start") + " .. " + PlanView.text(in, "window_end"));
    if (in.has("pairs")) {
      out.println("read        " + in.path("pairs").asInt() + " mapped pair(s) with a change, " + in.path("new_in_odoo").asInt()
          + " new in Odoo, " + in.path("new_in_outlook").asInt() + " new in Outlook"
          + (in.has("notes") ? ", " + in.path("notes").asInt() + " note(s)" : ""));
    }
    if (in.has("not_recorded")) {
      out.println("inputs      " + out.style(in.path("not_recorded").asText(), Output.Style.YELLOW));
    }
    if (r.path("error").isTextual()) {
      out.println("error       " + out.style(r.path("error").asText().replace("\n", "\n            "), Output.Style.RED));
    }
    out.println("");
    if (r.path("plan").has("actions")) {
      PlanView.print(r.path("plan"), out);
    } else {
      out.println("no plan recorded (the run stopped before planning)");
    }
  }
}
