package io.outlooksync.shell;

import java.io.IOException;
import java.util.List;
import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalProvider;

/** Whether standard input is a terminal, asked the way JLine asks it (isatty through JNI, else stty). */
final class Tty {
  private Tty() {}

  static boolean stdinIsTerminal() {
    for (String provider : List.of("jni", "exec")) {
      try {
        return TerminalProvider.load(provider).isSystemStream(SystemStream.Input);
      } catch (IOException | RuntimeException | LinkageError e) {
        // this provider is unavailable here; try the next
      }
    }
    return true; // cannot tell: the interactive shell copes with a pipe too
  }
}
