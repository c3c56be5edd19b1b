package io.outlooksync.shell.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.outlooksync.shell.Command;
import io.outlooksync.shell.Output;
import io.outlooksync.shell.Session;
import io.outlooksync.shell.ShellException;
import java.util.List;
import java.util.Set;

public final class ResetCommand implements Command {
  static final List<String> DELETE = List.of("leave", "outlook", "odoo", "both");
  static final List<String> NEXT = List.of("new", "all");

  @Override
  public String name() {
    return "reset";
  }

  @Override
  public String usage() {
    return "reset <user> --delete=leave|outlook|odoo|both --next=new|all [--dry-run] [--yes]";
  }

  @Override
  public String summary() {
    return "Reset Account: forget a user's sync state, optionally deleting what it synced";
  }

  @Override
  public String help() {
    return "The Reset Account wizard's operation (docs/api.md). The account's mappings, cursors and pending\n"
        + "actions are forgotten.\n"
        + "--delete=leave    touch no event          --delete=outlook  delete the Outlook copies (cancellations!)\n"
        + "--delete=odoo     archive the Odoo events --delete=both     both\n"
        + "--next=new        the next sync takes only events created or changed from now on\n"
        + "--next=all        the next sync is a first sync again, adopting what exists on both sides\n"
        + "--dry-run         changes nothing; says how many events each side would lose and who is mailed\n"
        + "--yes             no dry run first and no question (otherwise the dry run is shown, and the\n"
        + "                  interactive shell asks before going on)";
  }

  @Override
  public List<String> candidates(List<String> before, Session session) {
    if (before.isEmpty()) {
      return session.userCandidates();
    }
    List<String> out = new java.util.ArrayList<>();
    DELETE.forEach(d -> out.add("--delete=" + d));
    NEXT.forEach(n -> out.add("--next=" + n));
    out.add("--dry-run");
    out.add("--yes");
    return out;
  }

  @Override
  public void run(List<String> args, Session session) throws ShellException {
    Flags f = Flags.parse(this, args, Set.of("--dry-run", "--yes"), Set.of("--delete", "--next"));
    Args.exactly(this, f.words, 1);
    String delete = f.value("--delete").orElseThrow(() -> ShellException.usage("--delete is required; usage: " + usage()));
    String next = f.value("--next").orElseThrow(() -> ShellException.usage("--next is required; usage: " + usage()));
    if (!DELETE.contains(delete) || !NEXT.contains(next)) {
      throw ShellException.usage("--delete is one of " + String.join(", ", DELETE) + "; --next one of " + String.join(", ", NEXT));
    }
    String path = session.userPath(f.words.get(0)) + "/reset";
    String body = "{\"delete\": \"" + delete + "\", \"next\": \"" + next + "\", \"dry_run\": %s}";
    Output out = session.out();
    if (!f.has("--yes")) {
      // What it would do first, then the question (scripts and -c answer yes: they said what they meant).
      print(session.client().post(path, String.format(body, "true"), SyncCommand.RUN_TIMEOUT), out);
      if (f.has("--dry-run")) {
        return;
      }
      if (!session.confirm("reset " + f.words.get(0) + " as above?")) {
        out.println("nothing was reset");
        return;
      }
    }
    JsonNode done = session.client().post(path, String.format(body, "false"), SyncCommand.RUN_TIMEOUT);
    print(done, out);
    if (!done.path("succeeded").asBoolean()) {
      throw ShellException.failed("the reset did not finish; nothing was forgotten (`run " + done.path("run_id").asText() + "`)");
    }
  }

  private static void print(JsonNode r, Output out) {
    boolean dry = r.path("dry_run").asBoolean();
    JsonNode mail = r.path("mail");
    out.println((dry ? "dry run " : "reset ") + r.path("run_id").asText() + ": Outlook events " + (dry ? "to delete " : "deleted ")
        + r.path("outlook_deleted").asInt() + ", Odoo events " + (dry ? "to archive " : "archived ") + r.path("odoo_archived").asInt()
        + ", cancellations " + mail.path("cancellation").asInt() + (mail.path("recipients").size() > 0 ? " (to "
        + String.join(", ", strings(mail.path("recipients"))) + ")" : ""));
    r.path("errors").forEach(e -> out.println("  " + out.style(e.asText(), Output.Style.RED)));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new java.util.ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
