package io.outlooksync.shell.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.outlooksync.shell.Command;
import io.outlooksync.shell.Output;
import io.outlooksync.shell.Session;
import io.outlooksync.shell.ShellException;
import io.outlooksync.shell.Table;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

public final class MappingsCommand implements Command {
  @Override
  public String name() {
    return "mappings";
  }

  @Override
  public String usage() {
    return "mappings <user> [<filter>] [--limit N] [--ids]";
  }

  @Override
  public String summary() {
    return "the events a user's sync links: Odoo id, Outlook id, iCalUId, last synced, conflicts";
  }

  @Override
  public String help() {
    return "Lists the user's mappings: each Odoo event linked to its Outlook copy, with the iCalUId that ties the\n"
        + "copies of a meeting together, the title and start each side had when last synced (an archived Odoo\n"
        + "side is marked), and the conflicts the latest 100 runs recorded for it.\n"
        + "<filter>   an Odoo event id or mapping id, or text found in the Outlook id, iCalUId or title\n"
        + "--limit N  at most N rows (default 200)\n"
        + "--ids      the whole Outlook ids and iCalUIds instead of their ends\n"
        + "Tab completes the Odoo event ids of the user on the line.";
  }

  @Override
  public boolean readsOnly() {
    return true;
  }

  @Override
  public List<String> candidates(List<String> before, Session session) {
    if (before.isEmpty()) {
      return session.userCandidates();
    }
    return before.size() == 1 ? session.eventIds(before.get(0)) : List.of("--limit", "--ids");
  }

  @Override
  public void run(List<String> args, Session session) throws ShellException {
    Flags f = Flags.parse(this, args, Set.of("--ids"), Set.of("--limit"));
    if (f.words.isEmpty() || f.words.size() > 2) {
      throw ShellException.usage((f.words.isEmpty() ? "missing argument" : "too many arguments") + "; usage: " + usage());
    }
    String query = "?limit=" + f.number("--limit", 200)
        + (f.words.size() == 2 ? "&filter=" + URLEncoder.encode(f.words.get(1), StandardCharsets.UTF_8) : "");
    JsonNode r = session.client().get(session.userPath(f.words.get(0)) + "/mappings" + query);
    Output out = session.out();
    boolean whole = f.has("--ids");
    Table t = new Table("MAPPING", "ODOO", "OUTLOOK", "ICALUID", "TITLE", "START (ODOO SIDE)", "CONFLICTS")
        .style(6, c -> "-".equals(c) ? c : out.style(c, Output.Style.YELLOW));
    for (JsonNode m : r.path("mappings")) {
      JsonNode odoo = m.path("odoo_synced");
      StringBuilder conflicts = new StringBuilder();
      m.path("conflicts").forEach(c -> conflicts.append(conflicts.length() == 0 ? "" : ", ").append(c.path("field").asText())
          .append(" run ").append(c.path("run").asText()));
      String graph = PlanView.text(m, "graph_id");
      String ical = PlanView.text(m, "ical_uid");
      t.row(m.path("id").asText(), PlanView.text(m, "odoo_event_id"), whole ? graph : PlanView.shortId(graph),
          whole ? ical : PlanView.shortId(ical), PlanView.text(m, "title") + (odoo.path("archived").asBoolean() ? " (archived)" : ""),
          odoo.isObject() ? odoo.path("start").asText() : "-", conflicts.length() == 0 ? "-" : conflicts.toString());
    }
    if (t.isEmpty()) {
      out.println(r.path("matched").asInt() == 0 && f.words.size() == 2 ? "no mapping matches " + f.words.get(1)
          : "no mappings yet: the user's events are linked by their first sync");
      return;
    }
    t.print(out);
    int matched = r.path("matched").asInt();
    if (matched > r.path("shown").asInt()) {
      out.println("... " + (matched - r.path("shown").asInt()) + " more; narrow with a filter or raise --limit");
    }
  }
}
