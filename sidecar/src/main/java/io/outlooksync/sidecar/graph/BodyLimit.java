package io.outlooksync.sidecar.graph;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Descriptions between Odoo's HTML and Outlook's body. Outlook wraps a body in its own document; Odoo holds a
 * fragment, so the document's {@code <body>} content is what crosses over. Bodies written to Outlook are capped at
 * {@link #MAX_BYTES}, with a visible note saying the full text stays in Odoo. (Sanitizing is the caller's: one
 * sanitizer for both directions, not one per gateway.)
 */
final class BodyLimit {
  /** The cap on a body written to Outlook, UTF-8 bytes, note included. */
  static final int MAX_BYTES = 256 * 1024;
  /** The note's visible text, so a reader of the event (and a later comparison) can recognise a shortened body. */
  static final String SHORTENED_TEXT = "[Description shortened for Outlook: the full text is in Odoo.]";
  private static final String SHORTENED_HTML = "<p><em>" + SHORTENED_TEXT + "</em></p>";
  private static final Pattern BODY = Pattern.compile("(?is)<body[^>]*>(.*)</body>");

  private BodyLimit() {}

  /** The content of Outlook's {@code <body>} (or the whole text when it is a fragment); null when blank. */
  static String inner(String html) {
    if (html == null) {
      return null;
    }
    Matcher m = BODY.matcher(html);
    String inner = m.find() ? m.group(1) : html;
    return inner.isBlank() ? null : inner.strip();
  }

  /** {@code html} as written to Outlook: unchanged when small enough, else cut at a tag boundary plus the note. */
  static String cap(String html, List<String> notes) {
    if (html == null) {
      return null;
    }
    int total = html.getBytes(StandardCharsets.UTF_8).length;
    if (total <= MAX_BYTES) {
      return html;
    }
    int budget = MAX_BYTES - SHORTENED_HTML.getBytes(StandardCharsets.UTF_8).length;
    int end = prefixWithin(html, budget);
    // Never leave half a tag or half an entity: Outlook would show its remains as text.
    int open = html.lastIndexOf('<', end - 1);
    if (open >= 0 && html.indexOf('>', open) >= end) {
      end = open;
    }
    int amp = html.lastIndexOf('&', end - 1);
    if (amp >= 0 && html.indexOf(';', amp) >= end && end - amp <= 10) {
      end = amp;
    }
    notes.add("description is " + total / 1024 + " KB; shortened to " + MAX_BYTES / 1024 + " KB in Outlook, complete in Odoo");
    return html.substring(0, end) + SHORTENED_HTML;
  }

  /** The number of chars of {@code s} whose UTF-8 encoding fits in {@code bytes}, never splitting a surrogate pair. */
  private static int prefixWithin(String s, int bytes) {
    int used = 0;
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (used + size > bytes) {
        break;
      }
      used += size;
      i += Character.charCount(cp);
    }
    return i;
  }
}
