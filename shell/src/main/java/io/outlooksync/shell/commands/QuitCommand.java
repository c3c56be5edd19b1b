package io.outlooksync.shell.commands;

import io.outlooksync.shell.Command;
import io.outlooksync.shell.Session;
import io.outlooksync.shell.ShellException;
import java.util.List;

public final class QuitCommand implements Command {
  @Override
  public String name() {
    return "quit";
  }

  @Override
  public List<String> aliases() {
    return List.of("exit");
  }

  @Override
  public boolean readsOnly() {
    return true;
  }

  @Override
  public String usage() {
    return "quit";
  }

  @Override
  public String summary() {
    return "leave the shell (Ctrl-D does too)";
  }

  @Override
  public String help() {
    return "Leaves the shell; the history is saved. The sidecar keeps running.";
  }

  @Override
  public void run(List<String> args, Session session) throws ShellException {
    Args.exactly(this, args, 0);
    session.quit();
  }
}
