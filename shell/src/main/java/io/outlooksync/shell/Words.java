package io.outlooksync.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into words: blanks separate, single or double quotes group, no escapes. A backslash
 * that ends a line joins it to the next (how the interactive shell continues a long command).
 */
final class Words {
  private Words() {}

  static List<String> split(String text) throws ShellException {
    String line = text.replace("\\\r\n", " ").replace("\\\n", " ");
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        word = word == null ? new StringBuilder() : word;
      } else if (Character.isWhitespace(c)) {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
      } else {
        word = word == null ? new StringBuilder() : word;
        word.append(c);
      }
    }
    if (quote != 0) {
      throw ShellException.usage("unclosed " + quote + " quote");
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }
}
