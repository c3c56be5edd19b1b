package io.outlooksync.shell.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.outlooksync.shell.Command;
import io.outlooksync.shell.Output;
import io.outlooksync.shell.Session;
import io.outlooksync.shell.ShellException;
import java.util.ArrayList;
import java.util.List;

public final class StatusCommand implements Command {
  @Override
  public String name() {
    return "status";
  }

  @Override
  public String usage() {
    return "status";
  }

  @Override
  public String summary() {
    return "configuration, global pause, accounts by state, queue depth";
  }

  @Override
  public String help() {
    return "The sidecar's /api/status: whether every setting is present (and which are missing), whether sync\n"
        + "is paused for everyone, how many accounts are in each state and how many announced changes wait.";
  }

  @Override
  public void run(List<String> args, Session session) throws ShellException {
    Args.exactly(this, args, 0);
    JsonNode s = session.client().get("/api/status");
    Output out = session.out();
    List<String> missing = new ArrayList<>();
    s.path("missing").forEach(m -> missing.add(m.asText()));
    out.println("configured  " + (s.path("configured").asBoolean() ? "yes"
        : out.style("no", Output.Style.YELLOW) + ", missing: " + String.join(", ", missing)));
    out.println("paused      " + (s.path("paused").asBoolean() ? out.style("yes, for everyone", Output.Style.YELLOW) : "no"));
    List<String> states = new ArrayList<>();
    s.path("accounts").fields().forEachRemaining(e -> states.add(out.state(e.getKey()) + " " + e.getValue().asInt()));
    out.println("accounts    " + String.join(", ", states));
    out.println("queue       " + s.path("queue_depth").asInt() + " announced change(s) waiting");
    out.println("version     " + s.path("version").asText());
  }
}
