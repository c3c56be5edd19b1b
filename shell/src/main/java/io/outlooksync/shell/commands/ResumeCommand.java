package io.outlooksync.shell.commands;

import io.outlooksync.shell.AccountView;
import io.outlooksync.shell.Command;
import io.outlooksync.shell.Session;
import io.outlooksync.shell.ShellException;
import java.util.List;

public final class ResumeCommand implements Command {
  @Override
  public String name() {
    return "resume";
  }

  @Override
  public String usage() {
    return "resume [<user>]";
  }

  @Override
  public String summary() {
    return "resume one paused account, or sync for everyone";
  }

  @Override
  public String help() {
    return "With a user, resumes that paused account. Without, lifts the global pause. A STOPPED or\n"
        + "NEEDS_REAUTH account cannot be resumed: its user must sign in again.";
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
      session.client().post("/api/resume", "");
      session.out().println("sync is resumed for everyone");
      return;
    }
    AccountView a = AccountView.of(session.client().post(session.userPath(args.get(0)) + "/resume", ""));
    session.out().println(a.key() + " is " + session.out().state(a.state()));
  }
}
