package io.outlooksync.shell;

import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.impl.DefaultParser;

/**
 * JLine's parser set up for admin commands: backslashes are plain characters (Windows paths, regexes), except
 * one that ends a line, which continues the command on the next line; an open quote continues it too.
 */
final class ShellParser extends DefaultParser {
  ShellParser() {
    setEscapeChars(null);
    setEofOnUnclosedQuote(true);
  }

  @Override
  public ParsedLine parse(String line, int cursor, ParseContext context) {
    if (context == ParseContext.ACCEPT_LINE && line.endsWith("\\")) {
      throw new EOFError(-1, cursor, "the line continues", "\\");
    }
    return super.parse(line, cursor, context);
  }
}
