package io.outlooksync.shell;

import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/** Tab completion: command names first, then whatever the command offers for the argument at the cursor. */
final class ShellCompleter implements Completer {
  private final Session session;

  ShellCompleter(Session session) {
    this.session = session;
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    List<String> words = new ArrayList<>(line.words());
    int index = line.wordIndex();
    // A line-continuation backslash is no argument.
    for (int i = index - 1; i >= 0; i--) {
      if ("\\".equals(words.get(i))) {
        words.remove(i);
        index--;
      }
    }
    if (index == 0) {
      session.commands().names().forEach(n -> candidates.add(new Candidate(n)));
      return;
    }
    List<String> before = words.subList(1, index);
    session.commands().find(words.get(0)).ifPresent(c ->
        c.candidates(before, session).forEach(v -> candidates.add(new Candidate(v))));
  }
}
