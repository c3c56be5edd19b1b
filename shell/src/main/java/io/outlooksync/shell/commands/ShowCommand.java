package io.outlooksync.shell.commands;

import io.outlooksync.shell.AccountView;
import io.outlooksync.shell.Command;
import io.outlooksync.shell.Output;
import io.outlooksync.shell.Session;
import io.outlooksync.shell.ShellException;
import java.util.List;

public final class ShowCommand implements Command {
  @Override
  public String name() {
    return "show";
  }

  @Override
  public boolean readsOnly() {
    return true;
  }

  @Override
  public String usage() {
    return "show <db>/<userId>|<login>";
  }

  @Override
  public String summary() {
    return "one account in full, with what to do about its state";
  }

  @Override
  public String help() {
    return "Shows one account: ids, Odoo login, Microsoft account, state and why, last sync, last error and\n"
        + "when. The user is <db>/<userId> (e.g. prod/7) or an Odoo login when it is unique.";
  }

  @Override
  public List<String> candidates(List<String> before, Session session) {
    return before.isEmpty() ? session.userCandidates() : List.of();
  }

  @Override
  public void run(List<String> args, Session session) throws ShellException {
    Args.exactly(this, args, 1);
    Args.noOption(this, args);
    AccountView a = AccountView.of(session.client().get(session.userPath(args.get(0)) + "/status"));
    print(a, session.out());
  }

  static void print(AccountView a, Output out) {
    out.println("user          " + out.style(a.key(), Output.Style.BOLD) + "   (account " + a.id() + ")");
    out.println("login         " + Args.orDash(a.login()));
    out.println("microsoft     " + Args.orDash(a.msUsername()));
    out.println("state         " + out.state(a.state()) + (a.stateReason() == null ? "" : " (" + a.stateReason() + ")"));
    out.println("last sync     " + Args.orDash(a.lastSyncAt()));
    out.println("last error    " + (a.lastError() == null ? "-" : out.style(a.lastError(), Output.Style.RED)
        + (a.lastErrorAt() == null ? "" : " at " + a.lastErrorAt())));
    // Items that kept failing and no longer hold the account's sync (docs/sync.md, "Items that keep failing").
    for (String p : a.parked()) {
      out.println("parked        " + out.style(p, Output.Style.YELLOW));
    }
    String advice = advice(a.state());
    if (advice != null) {
      out.println("what to do    " + advice);
    }
  }

  private static String advice(String state) {
    switch (state) {
      case "NEEDS_REAUTH":
        return "the user signs in again (Calendar app > Outlook button > Reconnect Outlook)";
      case "STOPPED":
        return "nothing syncs until the user connects again";
      case "PAUSED":
        return "`resume <user>` restarts it";
      case "NOT_CONNECTED":
        return "the user has not finished signing in";
      default:
        return null;
    }
  }
}
