package io.outlooksync.shell.commands;

import io.outlooksync.shell.Command;
import io.outlooksync.shell.Session;
import io.outlooksync.shell.ShellException;
import java.util.List;

public final class JShellCommand implements Command {
  @Override
  public String name() {
    return "jshell";
  }

  @Override
  public String usage() {
    return "jshell";
  }

  @Override
  public String summary() {
    return "Java snippets with the admin API bound to `admin`; /exit comes back";
  }

  @Override
  public String help() {
    return "Enters JShell: Java snippets run in the shell's process with the variable `admin` bound to the\n"
        + "sidecar's API (admin.accounts(), admin.account(\"alice\"), admin.mappings(\"alice\"), admin.runs(\"alice\"),\n"
        + "admin.run(12), admin.replay(12), admin.get(path), admin.post(path, json); answers are Jackson\n"
        + "JsonNode trees). Tab completes Java; Ctrl-C stops a running snippet; /vars lists the variables;\n"
        + "/exit returns here. A snippet calling System.exit is refused (it would end the shell; the sidecar\n"
        + "is another process and never affected). Interactive only; `outlook-sync-shell --jshell` starts in it.";
  }

  @Override
  public boolean readsOnly() {
    return true;
  }

  @Override
  public void run(List<String> args, Session session) throws ShellException {
    Args.exactly(this, args, 0);
    session.enterJShell();
  }
}
