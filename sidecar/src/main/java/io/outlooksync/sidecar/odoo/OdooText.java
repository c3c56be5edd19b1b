package io.outlooksync.sidecar.odoo;

/**
 * Odoo's error texts, cut to what is safe and useful in our messages: the first line of a user error (later
 * lines may quote record content), the last line of a traceback (the rest is Odoo's internals), 300 characters.
 */
final class OdooText {
  private static final int MAX_MESSAGE = 300;

  private OdooText() {}

  static String lastLine(String text) {
    String[] lines = text.split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      if (!lines[i].isBlank()) {
        return lines[i].strip();
      }
    }
    return "";
  }

  static String firstLine(String text) {
    String stripped = text.strip();
    int nl = stripped.indexOf('\n');
    return nl < 0 ? stripped : stripped.substring(0, nl);
  }

  static String shorten(String text) {
    if (text == null) {
      return "";
    }
    return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "...";
  }
}
