package io.outlooksync.sidecar.odoo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An allow-list HTML cleaner for descriptions coming from Outlook before they reach Odoo, with a size cap.
 *
 * <p>Safe by construction rather than by blocking: the output holds only tags from {@link #TAGS} with
 * attributes from {@link #ATTRIBUTES}, links and images only with http(s)/mailto/tel URLs, style attributes only
 * without url(), expression() or escapes, and text that cannot open a tag. Unknown tags (Outlook's
 * {@code <o:p>}, {@code <html>}, {@code <body>}) are dropped with their content kept; script, style, iframe,
 * object, embed and the like are dropped with their content. Open tags are closed at the end.
 *
 * <p>Odoo sanitizes HTML fields on write too; this is a second wall that does not depend on Odoo's settings,
 * and the place where the size is capped. A library (jsoup's Safelist, OWASP's sanitizer) would parse more
 * faithfully, but descriptions only need formatting kept, not layout reproduced, and this fits in one small class.
 */
public final class HtmlSanitizer {
  /** Odoo stores descriptions in a text column; Outlook bodies with inline images can be megabytes. */
  public static final int DEFAULT_MAX_BYTES = 256 * 1024;

  public static final String SHORTENED_NOTE = "[description shortened by outlook-sync]";

  private static final String NOTE_HTML = "<p>" + SHORTENED_NOTE + "</p>";

  static final Set<String> TAGS = Set.of("p", "br", "div", "span", "b", "strong", "i", "em", "u", "s", "strike",
      "del", "ins", "sub", "sup", "small", "big", "font", "ul", "ol", "li", "dl", "dt", "dd", "a", "img", "h1", "h2",
      "h3", "h4", "h5", "h6", "blockquote", "pre", "code", "tt", "hr", "table", "caption", "thead", "tbody", "tfoot",
      "tr", "td", "th", "col", "colgroup", "center", "address", "cite", "q", "abbr", "mark");

  private static final Set<String> VOID = Set.of("br", "hr", "img", "col", "wbr");

  static final Set<String> ATTRIBUTES = Set.of("style", "title", "dir", "align", "alt", "width", "height", "colspan",
      "rowspan", "valign", "bgcolor", "border", "cellpadding", "cellspacing", "color", "face", "size", "start", "type",
      "span", "href", "src");

  /** Dropped with everything inside: executable, embedded, or never visible. */
  private static final Set<String> DROP_WITH_CONTENT = Set.of("script", "style", "iframe", "object", "embed", "applet",
      "noscript", "template", "head", "title", "xml", "svg", "math", "frame", "frameset", "noembed", "noframes",
      "textarea", "select", "xmp", "plaintext");

  /** Their content is not markup: it runs to the matching end tag whatever it holds. */
  private static final Set<String> RAW_TEXT = Set.of("script", "style", "iframe", "noscript", "title", "textarea",
      "xmp", "noembed", "noframes", "plaintext");

  /** Active content worth telling the user about (a stylesheet or head in every Outlook body is not). */
  private static final Set<String> ACTIVE = Set.of("script", "iframe", "object", "embed", "applet", "frame", "frameset");

  private static final Set<String> URL_SCHEMES = Set.of("http", "https", "mailto", "tel");

  private static final Pattern ENTITY = Pattern.compile("&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,8});?");

  private static final Pattern PARTIAL_ENTITY_AT_END = Pattern.compile("&#?[a-zA-Z0-9]{0,8}$");

  /** The cleaned HTML; {@code removedActive} when scripts, handlers or unsafe links were taken out. */
  public record Result(String html, boolean removedActive, boolean shortened) {}

  private HtmlSanitizer() {}

  public static Result sanitize(String html) {
    return sanitize(html, DEFAULT_MAX_BYTES);
  }

  /** Cleans {@code html} and caps it at {@code maxBytes} of UTF-8, note included. Null stays null. */
  public static Result sanitize(String html, int maxBytes) {
    if (html == null) {
      return new Result(null, false, false);
    }
    Cleaner c = new Cleaner(html, maxBytes - utf8(NOTE_HTML));
    c.run();
    String out = c.closeAll();
    if (c.shortened) {
      out += NOTE_HTML;
    }
    return new Result(out, c.removedActive, c.shortened);
  }

  /** One pass over the input: a tiny tokenizer that emits only what the allow-list lets through. */
  private static final class Cleaner {
    private final String in;
    private final int budget;
    private final StringBuilder out = new StringBuilder();
    private final Deque<String> open = new ArrayDeque<>();
    private int outBytes;
    private int closeBytes;
    private int pos;
    private String skipping;
    private int skipDepth;
    boolean removedActive;
    boolean shortened;

    Cleaner(String in, int budget) {
      this.in = in;
      this.budget = budget;
    }

    void run() {
      while (pos < in.length() && !shortened) {
        int lt = in.indexOf('<', pos);
        if (lt < 0) {
          text(in.substring(pos));
          pos = in.length();
        } else {
          if (lt > pos) {
            text(in.substring(pos, lt));
          }
          pos = lt;
          markup();
        }
      }
    }

    private void markup() {
      if (in.startsWith("<!--", pos)) {
        int end = in.indexOf("-->", pos + 4);
        pos = end < 0 ? in.length() : end + 3;
      } else if (in.startsWith("<!", pos) || in.startsWith("<?", pos)) {
        int end = in.indexOf('>', pos);
        pos = end < 0 ? in.length() : end + 1;
      } else if (in.startsWith("</", pos) && pos + 2 < in.length() && Character.isLetter(in.charAt(pos + 2))) {
        pos += 2;
        String name = name();
        int end = in.indexOf('>', pos);
        pos = end < 0 ? in.length() : end + 1;
        closeTag(name);
      } else if (pos + 1 < in.length() && Character.isLetter(in.charAt(pos + 1))) {
        pos += 1;
        openTag();
      } else {
        pos += 1;
        text("&lt;");
      }
    }

    private void openTag() {
      String name = name();
      StringBuilder attrs = new StringBuilder();
      boolean selfClosing = false;
      while (pos < in.length()) {
        char ch = in.charAt(pos);
        if (ch == '>') {
          pos++;
          break;
        }
        if (Character.isWhitespace(ch) || ch == '/') {
          selfClosing = ch == '/';
          pos++;
          continue;
        }
        selfClosing = false;
        attribute(name, attrs);
      }
      if (skipping != null) {
        if (name.equals(skipping) && !selfClosing) {
          skipDepth++;
        } else if (RAW_TEXT.contains(name)) {
          skipRawText(name);
        }
        return;
      }
      if (DROP_WITH_CONTENT.contains(name)) {
        removedActive |= ACTIVE.contains(name);
        if (RAW_TEXT.contains(name)) {
          skipRawText(name);
        } else if (!selfClosing) {
          skipping = name;
          skipDepth = 1;
        }
        return;
      }
      if (!TAGS.contains(name)) {
        return;
      }
      boolean isVoid = VOID.contains(name);
      String tag = "<" + name + attrs + ">";
      int closing = isVoid ? 0 : utf8("</" + name + ">");
      if (!fits(utf8(tag) + closing)) {
        shortened = true;
        return;
      }
      emit(tag);
      if (!isVoid) {
        open.push(name);
        closeBytes += closing;
      }
    }

    private void closeTag(String name) {
      if (skipping != null) {
        if (name.equals(skipping) && --skipDepth == 0) {
          skipping = null;
        }
        return;
      }
      if (!open.contains(name)) {
        return;
      }
      while (!open.isEmpty()) {
        String top = open.pop();
        String close = "</" + top + ">";
        closeBytes -= utf8(close);
        emit(close);
        if (top.equals(name)) {
          break;
        }
      }
    }

    /** Everything up to {@code </name ...>} is not markup: skipped whole. */
    private void skipRawText(String name) {
      Matcher m = Pattern.compile("</" + Pattern.quote(name) + "[\\s/>]", Pattern.CASE_INSENSITIVE).matcher(in);
      if (!m.find(pos)) {
        pos = in.length();
        return;
      }
      int end = in.indexOf('>', m.start());
      pos = end < 0 ? in.length() : end + 1;
    }

    private void attribute(String tag, StringBuilder attrs) {
      int start = pos;
      while (pos < in.length() && !Character.isWhitespace(in.charAt(pos)) && "/>=".indexOf(in.charAt(pos)) < 0) {
        pos++;
      }
      String name = in.substring(start, pos).toLowerCase(Locale.ROOT);
      if (name.isEmpty()) {
        pos++; // a stray '=': skip it
        return;
      }
      skipSpaces();
      String value = null;
      if (pos < in.length() && in.charAt(pos) == '=') {
        pos++;
        skipSpaces();
        value = value();
      }
      if (name.startsWith("on")) {
        removedActive = true;
        return;
      }
      if (!ATTRIBUTES.contains(name)) {
        return;
      }
      String decoded = value == null ? "" : stripControls(decode(value));
      boolean ok = switch (name) {
        case "href" -> tag.equals("a") && safeUrl(decoded);
        case "src" -> tag.equals("img") && safeUrl(decoded);
        case "style" -> safeStyle(decoded);
        default -> true;
      };
      if (!ok) {
        removedActive |= !name.equals("style") || !decoded.isEmpty();
        return;
      }
      attrs.append(' ').append(name).append("=\"").append(escapeAttribute(decoded)).append('"');
    }

    private String value() {
      if (pos >= in.length()) {
        return "";
      }
      char q = in.charAt(pos);
      if (q == '"' || q == '\'') {
        int end = in.indexOf(q, pos + 1);
        String v = in.substring(pos + 1, end < 0 ? in.length() : end);
        pos = end < 0 ? in.length() : end + 1;
        return v;
      }
      int start = pos;
      while (pos < in.length() && !Character.isWhitespace(in.charAt(pos)) && in.charAt(pos) != '>') {
        pos++;
      }
      return in.substring(start, pos);
    }

    private String name() {
      int start = pos;
      while (pos < in.length() && (Character.isLetterOrDigit(in.charAt(pos)) || in.charAt(pos) == ':' || in.charAt(pos) == '-')) {
        pos++;
      }
      return in.substring(start, pos).toLowerCase(Locale.ROOT);
    }

    private void skipSpaces() {
      while (pos < in.length() && Character.isWhitespace(in.charAt(pos))) {
        pos++;
      }
    }

    private void text(String s) {
      if (skipping != null || s.isEmpty()) {
        return;
      }
      String t = s.replace(">", "&gt;");
      int bytes = utf8(t);
      if (fits(bytes)) {
        emit(t);
        return;
      }
      // Cut at a character boundary, never inside a surrogate pair or an entity.
      int room = budget - outBytes - closeBytes;
      int used = 0;
      int i = 0;
      while (i < t.length()) {
        int cp = t.codePointAt(i);
        int size = utf8(new String(Character.toChars(cp)));
        if (used + size > room) {
          break;
        }
        used += size;
        i += Character.charCount(cp);
      }
      String head = PARTIAL_ENTITY_AT_END.matcher(t.substring(0, i)).replaceFirst("");
      emit(head);
      shortened = true;
    }

    private boolean fits(int bytes) {
      return outBytes + bytes + closeBytes <= budget;
    }

    private void emit(String s) {
      out.append(s);
      outBytes += utf8(s);
    }

    String closeAll() {
      while (!open.isEmpty()) {
        out.append("</").append(open.pop()).append('>');
      }
      return out.toString();
    }
  }

  /** http(s), mailto and tel, or a relative reference (no scheme at all). */
  static boolean safeUrl(String url) {
    String compact = url.replaceAll("\\s", "").toLowerCase(Locale.ROOT);
    int colon = compact.indexOf(':');
    if (colon < 0) {
      return true;
    }
    int firstDelimiter = firstIndexOf(compact, "/?#");
    if (firstDelimiter >= 0 && firstDelimiter < colon) {
      return true; // a colon in the path or query of a relative reference
    }
    return URL_SCHEMES.contains(compact.substring(0, colon));
  }

  /** Inline styles keep colours, fonts and spacing; anything that loads or runs something is refused. */
  static boolean safeStyle(String style) {
    String compact = style.replaceAll("/\\*.*?\\*/", "").replaceAll("\\s", "").toLowerCase(Locale.ROOT);
    return !(compact.contains("url(") || compact.contains("expression(") || compact.contains("javascript:")
        || compact.contains("vbscript:") || compact.contains("@import") || compact.contains("behavior:")
        || compact.contains("-moz-binding") || compact.contains("\\") || compact.contains("<"));
  }

  private static int firstIndexOf(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  /** Character references as a browser would read them in an attribute, so "jav&#x61;script:" is caught. */
  static String decode(String value) {
    Matcher m = ENTITY.matcher(value);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String ref = m.group(1);
      String replacement;
      if (ref.startsWith("#x") || ref.startsWith("#X")) {
        replacement = codePoint(Integer.parseInt(ref.substring(2), 16));
      } else if (ref.startsWith("#")) {
        replacement = codePoint(Integer.parseInt(ref.substring(1)));
      } else {
        replacement = switch (ref.toLowerCase(Locale.ROOT)) {
          case "amp" -> "&";
          case "lt" -> "<";
          case "gt" -> ">";
          case "quot" -> "\"";
          case "apos" -> "'";
          case "colon" -> ":";
          case "tab" -> "\t";
          case "newline" -> "\n";
          case "nbsp" -> "\u00a0";
          default -> m.group();
        };
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static String codePoint(int cp) {
    return Character.isValidCodePoint(cp) && cp != 0 ? new String(Character.toChars(cp)) : "\ufffd";
  }

  private static String stripControls(String s) {
    return s.replaceAll("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]", "");
  }

  private static String escapeAttribute(String s) {
    return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
