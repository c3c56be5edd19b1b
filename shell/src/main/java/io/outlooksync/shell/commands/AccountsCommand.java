package io.outlooksync.shell.commands;

import io.outlooksync.shell.AccountView;
import io.outlooksync.shell.Command;
import io.outlooksync.shell.Output;
import io.outlooksync.shell.Session;
import io.outlooksync.shell.ShellException;
import io.outlooksync.shell.Table;
import java.util.List;
import java.util.Locale;

public final class AccountsCommand implements Command {
  static final List<String> STATES = List.of("NOT_CONNECTED", "CONNECTED", "NEEDS_REAUTH", "PAUSED", "STOPPED");

  @Override
  public String name() {
    return "accounts";
  }

  @Override
  public boolean readsOnly() {
    return true;
  }

  @Override
  public String usage() {
    return "accounts [--state STATE]";
  }

  @Override
  public String summary() {
    return "every account: state, last sync, last error";
  }

  @Override
  public String help() {
    return "Lists every account the sidecar knows, by database and user id: Odoo login, state, Microsoft\n"
        + "account, last successful sync and last error. NEEDS_REAUTH means Microsoft refused the stored\n"
        + "sign-in: only the user can fix it, by connecting again from Odoo's preferences.\n"
        + "--state STATE   only accounts in that state (" + String.join(", ", STATES) + ")";
  }

  @Override
  public List<String> candidates(List<String> before, Session session) {
    if (!before.isEmpty() && "--state".equals(before.get(before.size() - 1))) {
      return STATES;
    }
    return before.contains("--state") ? List.of() : List.of("--state");
  }

  @Override
  public void run(List<String> args, Session session) throws ShellException {
    String state = null;
    if (!args.isEmpty()) {
      if (args.size() != 2 || !"--state".equals(args.get(0))) {
        throw ShellException.usage("usage: " + usage());
      }
      state = args.get(1).toUpperCase(Locale.ROOT);
      if (!STATES.contains(state)) {
        throw ShellException.usage("unknown state " + args.get(1) + "; one of " + String.join(", ", STATES));
      }
    }
    List<AccountView> all = session.fetchAccounts();
    Output out = session.out();
    Table t = new Table("USER", "LOGIN", "STATE", "MICROSOFT ACCOUNT", "LAST SYNC", "LAST ERROR")
        .style(2, out::state).style(5, e -> "-".equals(e) ? e : out.style(e, Output.Style.RED));
    int needsReauth = 0;
    for (AccountView a : all) {
      if (state != null && !state.equals(a.state())) {
        continue;
      }
      needsReauth += "NEEDS_REAUTH".equals(a.state()) ? 1 : 0;
      t.row(a.key(), a.login(), a.state(), a.msUsername(), a.lastSyncAt(), a.lastError());
    }
    if (t.isEmpty()) {
      out.println(state == null ? "no accounts yet: users connect from their Odoo preferences" : "no account is " + state);
      return;
    }
    t.print(out);
    if (needsReauth > 0) {
      out.println("");
      out.println(out.style(needsReauth + " account(s) need the user to sign in again; `show <user>` says why.",
          Output.Style.YELLOW));
    }
  }
}
