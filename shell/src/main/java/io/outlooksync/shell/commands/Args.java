package io.outlooksync.shell.commands;

import io.outlooksync.shell.Command;
import io.outlooksync.shell.ShellException;
import java.util.List;

/** Argument count checks with the command's synopsis in the message. */
final class Args {
  private Args() {}

  static void atMost(Command c, List<String> args, int n) throws ShellException {
    if (args.size() > n) {
      throw ShellException.usage("too many arguments; usage: " + c.usage());
    }
  }

  static void exactly(Command c, List<String> args, int n) throws ShellException {
    if (args.size() != n) {
      throw ShellException.usage((args.size() < n ? "missing argument" : "too many arguments") + "; usage: " + c.usage());
    }
  }

  static void noOption(Command c, List<String> args) throws ShellException {
    for (String a : args) {
      if (a.startsWith("-")) {
        throw ShellException.usage("unknown option " + a + "; usage: " + c.usage());
      }
    }
  }

  static String orDash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }
}
