package io.outlooksync.shell;

import io.outlooksync.shell.commands.AccountsCommand;
import io.outlooksync.shell.commands.HealthCommand;
import io.outlooksync.shell.commands.HelpCommand;
import io.outlooksync.shell.commands.JShellCommand;
import io.outlooksync.shell.commands.MappingsCommand;
import io.outlooksync.shell.commands.ReplayCommand;
import io.outlooksync.shell.commands.ResetCommand;
import io.outlooksync.shell.commands.RunCommand;
import io.outlooksync.shell.commands.RunsCommand;
import io.outlooksync.shell.commands.SyncCommand;
import io.outlooksync.shell.commands.TailCommand;
import io.outlooksync.shell.commands.PauseResumeCommand;
import io.outlooksync.shell.commands.QuitCommand;
import io.outlooksync.shell.commands.ShowCommand;
import io.outlooksync.shell.commands.StatusCommand;
import io.outlooksync.shell.commands.StopCommand;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The command table, in the order {@code help} lists it, and the dispatch of one command line. */
public final class Commands {
  private final Map<String, Command> byName = new LinkedHashMap<>();
  private final List<Command> all = new ArrayList<>();

  public Commands(List<Command> commands) {
    for (Command c : commands) {
      all.add(c);
      byName.put(c.name(), c);
      c.aliases().forEach(a -> byName.put(a, c));
    }
  }

  public static Commands standard() {
    return new Commands(List.of(new HelpCommand(), new HealthCommand(), new StatusCommand(), new AccountsCommand(),
        new ShowCommand(), new MappingsCommand(), SyncCommand.diff(), SyncCommand.sync(), new RunsCommand(), new RunCommand(),
        new ReplayCommand(), PauseResumeCommand.pause(), PauseResumeCommand.resume(), new StopCommand(), new ResetCommand(),
        new TailCommand(), new JShellCommand(), new QuitCommand()));
  }

  public List<Command> all() {
    return all;
  }

  /** Names and aliases, for completion. */
  public List<String> names() {
    return List.copyOf(byName.keySet());
  }

  public Optional<Command> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** Runs one command line; blank lines do nothing. */
  public void run(String line, Session session) throws ShellException {
    List<String> words = Words.split(line);
    if (words.isEmpty()) {
      return;
    }
    Command c = find(words.get(0)).orElseThrow(() -> ShellException.usage("unknown command " + words.get(0)
        + " (`help` lists the commands)"));
    if (session.client().readOnly() && !c.readsOnly()) {
      throw ShellException.usage("`" + c.name() + "` needs a running sidecar; this is a read-only post-mortem of "
          + session.client().base() + " (`help` marks what works here)");
    }
    c.run(words.subList(1, words.size()), session);
  }
}
