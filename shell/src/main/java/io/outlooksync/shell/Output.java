package io.outlooksync.shell;

import java.io.PrintWriter;

/** Where commands write: plain text, with ANSI colour only when the shell decided the terminal shows it. */
public final class Output {
  /** The few styles the shell uses; each maps to one SGR code. */
  public enum Style {
    BOLD("1"), DIM("2"), RED("31"), GREEN("32"), YELLOW("33");

    final String sgr;

    Style(String sgr) {
      this.sgr = sgr;
    }
  }

  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean colour;

  public Output(PrintWriter out, PrintWriter err, boolean colour) {
    this.out = out;
    this.err = err;
    this.colour = colour;
  }

  public boolean colour() {
    return colour;
  }

  public void println(String line) {
    out.println(line);
    out.flush();
  }

  public void error(String message) {
    out.flush();
    err.println(style(message, Style.RED));
    err.flush();
  }

  public String style(String text, Style style) {
    return colour && !text.isEmpty() ? "\033[" + style.sgr + "m" + text + "\033[0m" : text;
  }

  /** Account states, coloured by how much they need an administrator. */
  public String state(String state) {
    switch (state) {
      case "CONNECTED":
        return style(state, Style.GREEN);
      case "NEEDS_REAUTH":
        return style(state, Style.RED);
      case "PAUSED":
        return style(state, Style.YELLOW);
      default:
        return style(state, Style.DIM);
    }
  }
}
