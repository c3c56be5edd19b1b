package io.outlooksync.shell.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.outlooksync.shell.Output;
import io.outlooksync.shell.Table;

/** A journal's plan as the shell prints it: changes first, then the notes (skips, conflicts), then the e-mails. */
final class PlanView {
  private PlanView() {}

  static void print(JsonNode plan, Output out) {
    Table changes = new Table("ACTION", "ODOO", "OUTLOOK", "MAPPING", "WHY").style(0, k -> out.style(k, Output.Style.BOLD));
    Table notes = new Table("NOTE", "ABOUT", "WHY").style(0, k -> out.style(k, Output.Style.DIM));
    for (JsonNode a : plan.path("actions")) {
      String kind = a.path("kind").asText();
      if (kind.equals("Skip") || kind.equals("Conflict")) {
        String about = kind.equals("Skip") ? a.path("subject").asText("-")
            : "mapping " + a.path("mapping").asText("?") + " " + a.path("field").asText("") + " (kept " + a.path("winner").asText("?") + ")";
        notes.row(kind, about, a.path("reason").asText());
      } else {
        changes.row(kind, text(a, "odoo_event_id"), shortId(text(a, "graph_id")), text(a, "mapping"), a.path("reason").asText());
      }
    }
    if (changes.isEmpty()) {
      out.println("no changes");
    } else {
      changes.print(out);
    }
    if (!notes.isEmpty()) {
      out.println("");
      notes.print(out);
    }
    JsonNode mail = plan.path("mail");
    out.println("");
    int count = mail.path("count").asInt();
    StringBuilder to = new StringBuilder();
    mail.path("recipients").forEach(r -> to.append(to.length() == 0 ? "" : ", ").append(r.asText()));
    out.println("e-mails Outlook sends: " + (count == 0 ? "none" : out.style(Integer.toString(count), Output.Style.YELLOW) + " (to " + to + ")"));
  }

  static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? "-" : v.asText();
  }

  /** Graph ids are 150 characters; their tail tells them apart. */
  static String shortId(String id) {
    return id == null || id.length() <= 16 ? id : "…" + id.substring(id.length() - 12);
  }
}
