package io.outlooksync.shell.commands;

import io.outlooksync.shell.AccountView;
import io.outlooksync.shell.Command;
import io.outlooksync.shell.Session;
import io.outlooksync.shell.ShellException;
import java.util.List;

public final class PauseCommand implements Command {
  @Override
  public String name() {
    return "pause";
  }

  @Override
  public String usage() {
    return "pause [<user>]";
  }

  @Override
  public String summary() {
    return "pause one connected account, or sync for everyone";
  }

  @Override
  public String help() {
    return "With a user, pauses that account (it must be CONNECTED): nothing syncs, everything is kept.\n"
        + "Without, pauses sync for everyone (a switch beside each account's own state). `resume` undoes it.";
  }

  @Override
  public List<String> candidates(List<String> before, Session session) {
    return before.isEmpty() ? session.userCandidates() : List.of();
  }

  @Override
  public void run(List<String> args, Session session) throws ShellException {
    Args.atMost(this, args, 1);
    Args.noOption(this, args);
    if (args.isEmpty()) {
      session.client().post("/api/pause", "");
      session.out().println("sync is paused for everyone (`resume` restarts it)");
      return;
    }
    AccountView a = AccountView.of(session.client().post(session.userPath(args.get(0)) + "/pause", ""));
    session.out().println(a.key() + " is " + session.out().state(a.state()));
  }
}
