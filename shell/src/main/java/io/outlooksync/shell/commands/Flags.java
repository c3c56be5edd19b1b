package io.outlooksync.shell.commands;

import io.outlooksync.shell.Command;
import io.outlooksync.shell.ShellException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A command's arguments split into words and options: {@code --flag}, and {@code --name=value} or
 * {@code --name value} for the options that take a value. Unknown options are usage errors.
 */
final class Flags {
  final List<String> words = new ArrayList<>();
  private final Map<String, String> options = new LinkedHashMap<>();

  private Flags() {}

  /** {@code switches}: options without a value; {@code valued}: options with one. */
  static Flags parse(Command c, List<String> args, Set<String> switches, Set<String> valued) throws ShellException {
    Flags f = new Flags();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (!a.startsWith("--")) {
        f.words.add(a);
        continue;
      }
      int eq = a.indexOf('=');
      String name = eq < 0 ? a : a.substring(0, eq);
      if (switches.contains(name) && eq < 0) {
        f.options.put(name, "");
      } else if (valued.contains(name)) {
        String value = eq >= 0 ? a.substring(eq + 1) : i + 1 < args.size() ? args.get(++i) : null;
        if (value == null || value.isEmpty()) {
          throw ShellException.usage(name + " needs a value; usage: " + c.usage());
        }
        f.options.put(name, value);
      } else {
        throw ShellException.usage("unknown option " + a + "; usage: " + c.usage());
      }
    }
    return f;
  }

  boolean has(String name) {
    return options.containsKey(name);
  }

  Optional<String> value(String name) {
    return Optional.ofNullable(options.get(name));
  }

  /** A positive number option, or {@code fallback}. */
  int number(String name, int fallback) throws ShellException {
    String v = options.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw ShellException.usage(name + " must be a positive number, not " + v);
  }

  /** A run id argument. */
  static long runId(String word) throws ShellException {
    try {
      long id = Long.parseLong(word.startsWith("#") ? word.substring(1) : word);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw ShellException.usage("a run id is a positive number (`runs <user>` lists them), not " + word);
  }
}
