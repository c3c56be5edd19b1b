package io.outlooksync.shell.commands;

import io.outlooksync.shell.AccountView;
import io.outlooksync.shell.Command;
import io.outlooksync.shell.Session;
import io.outlooksync.shell.ShellException;
import java.util.ArrayList;
import java.util.List;

public final class StopCommand implements Command {
  @Override
  public String name() {
    return "stop";
  }

  @Override
  public String usage() {
    return "stop <user>|--all";
  }

  @Override
  public String summary() {
    return "stop an account (or all) until its user signs in again";
  }

  @Override
  public String help() {
    return "Stops one account, or every account with --all: nothing syncs for it again until its user signs in\n"
        + "again. For leavers and emergencies; `pause` is the reversible switch. The interactive shell asks\n"
        + "before --all; -c and scripts do not.";
  }

  @Override
  public List<String> candidates(List<String> before, Session session) {
    if (!before.isEmpty()) {
      return List.of();
    }
    List<String> c = new ArrayList<>(List.of("--all"));
    c.addAll(session.userCandidates());
    return c;
  }

  @Override
  public void run(List<String> args, Session session) throws ShellException {
    Args.exactly(this, args, 1);
    if ("--all".equals(args.get(0))) {
      long running = session.fetchAccounts().stream().filter(a -> !"STOPPED".equals(a.state())).count();
      if (!session.confirm("stop all " + running + " account(s)? each user must sign in again to sync")) {
        session.out().println("nothing stopped");
        return;
      }
      int n = session.client().post("/api/stop", "").path("stopped").asInt();
      session.out().println(n + " account(s) stopped");
      return;
    }
    Args.noOption(this, args);
    AccountView a = AccountView.of(session.client().post(session.userPath(args.get(0)) + "/stop", ""));
    session.out().println(a.key() + " is " + session.out().state(a.state()));
  }
}
