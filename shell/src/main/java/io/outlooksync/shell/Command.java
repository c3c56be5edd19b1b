package io.outlooksync.shell;

import java.util.List;

/** One shell command: what it is called, how it is explained and completed, and what it does. */
public interface Command {
  String name();

  default List<String> aliases() {
    return List.of();
  }

  /** The synopsis, e.g. {@code show <db>/<userId>|<login>}. */
  String usage();

  /** One line for the command list. */
  String summary();

  /** The full text of {@code help <command>}, after the synopsis. */
  String help();

  /**
   * Completion candidates for the next argument, given the arguments already typed before it.
   * {@code session.accounts()} is the account list fetched for completion (it may be stale or empty).
   */
  default List<String> candidates(List<String> before, Session session) {
    return List.of();
  }

  /** True when the command only reads: it then also works in a post-mortem on a stopped sidecar's store. */
  default boolean readsOnly() {
    return false;
  }

  /** Runs the command; output through {@code session.out()}. */
  void run(List<String> args, Session session) throws ShellException;
}
