package io.outlooksync.shell.commands;

import io.outlooksync.shell.Command;
import io.outlooksync.shell.Output;
import io.outlooksync.shell.Session;
import io.outlooksync.shell.ShellException;
import io.outlooksync.shell.Table;
import java.util.List;

public final class HelpCommand implements Command {
  @Override
  public String name() {
    return "help";
  }

  @Override
  public boolean readsOnly() {
    return true;
  }

  @Override
  public String usage() {
    return "help [<command>]";
  }

  @Override
  public String summary() {
    return "list the commands, or explain one";
  }

  @Override
  public String help() {
    return "Without an argument, lists every command. With one, shows its synopsis and what it does.";
  }

  @Override
  public List<String> candidates(List<String> before, Session session) {
    return before.isEmpty() ? session.commands().names() : List.of();
  }

  @Override
  public void run(List<String> args, Session session) throws ShellException {
    Args.atMost(this, args, 1);
    Output out = session.out();
    if (args.isEmpty()) {
      Table t = new Table("COMMAND", "WHAT IT DOES");
      for (Command c : session.commands().all()) {
        t.row(c.usage(), c.summary());
      }
      t.print(out);
      out.println("");
      out.println("A user is <db>/<userId> (e.g. prod/7) or an Odoo login. `help <command>` explains one command.");
      return;
    }
    Command c = session.commands().find(args.get(0)).orElseThrow(() -> ShellException.usage("unknown command "
        + args.get(0) + " (`help` lists the commands)"));
    out.println(out.style(c.usage(), Output.Style.BOLD)
        + (c.aliases().isEmpty() ? "" : "   (also: " + String.join(", ", c.aliases()) + ")"));
    out.println("");
    for (String line : c.help().split("\n")) {
      out.println("  " + line);
    }
  }
}
