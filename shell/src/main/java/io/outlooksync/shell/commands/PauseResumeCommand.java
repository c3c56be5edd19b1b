package io.outlooksync.shell.commands;

import io.outlooksync.shell.AccountView;
import io.outlooksync.shell.Command;
import io.outlooksync.shell.Session;
import io.outlooksync.shell.ShellException;
import java.util.List;

/** {@code pause} and {@code resume}: one account, or the global switch; the two differ only in words and path. */
public final class PauseResumeCommand implements Command {
  private final String name;
  private final String summary;
  private final String help;
  private final String globalDone;

  private PauseResumeCommand(String name, String summary, String help, String globalDone) {
    this.name = name;
    this.summary = summary;
    this.help = help;
    this.globalDone = globalDone;
  }

  public static PauseResumeCommand pause() {
    return new PauseResumeCommand("pause", "pause one connected account, or sync for everyone",
        "With a user, pauses that account (it must be CONNECTED): nothing syncs, everything is kept.\n"
            + "Without, pauses sync for everyone (a switch beside each account's own state). `resume` undoes it.",
        "sync is paused for everyone (`resume` restarts it)");
  }

  public static PauseResumeCommand resume() {
    return new PauseResumeCommand("resume", "resume one paused account, or sync for everyone",
        "With a user, resumes that paused account. Without, lifts the global pause. A STOPPED or\n"
            + "NEEDS_REAUTH account cannot be resumed: its user must sign in again.",
        "sync is resumed for everyone");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String usage() {
    return name + " [<user>]";
  }

  @Override
  public String summary() {
    return summary;
  }

  @Override
  public String help() {
    return help;
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
      session.client().post("/api/" + name, "");
      session.out().println(globalDone);
      return;
    }
    AccountView a = AccountView.of(session.client().post(session.userPath(args.get(0)) + "/" + name, ""));
    session.out().println(a.key() + " is " + session.out().state(a.state()));
  }
}
