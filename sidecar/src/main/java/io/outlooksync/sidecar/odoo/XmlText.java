package io.outlooksync.sidecar.odoo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Values made fit for XML 1.0, which cannot carry most C0 control characters, lone surrogates or U+FFFE/U+FFFF at
 * all: one such character in an Outlook title made Odoo's parser refuse the whole create call, and with it every
 * event in it (found by the hostile-content scenario). They are removed, as Odoo removes them from its own replies.
 */
final class XmlText {
  private XmlText() {}

  /** {@code value} with every string in it (in lists and maps too, keys included) cleaned. */
  static Object clean(Object value) {
    if (value instanceof String s) {
      return clean(s);
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(v -> out.add(clean(v)));
      return out;
    }
    if (value instanceof Object[] array) {
      Object[] out = new Object[array.length];
      for (int i = 0; i < array.length; i++) {
        out[i] = clean(array[i]);
      }
      return out;
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(clean(k), clean(v)));
      return out;
    }
    return value;
  }

  static String clean(String s) {
    int i = 0;
    while (i < s.length() && allowed(s, i)) {
      i += Character.charCount(s.codePointAt(i));
    }
    if (i == s.length()) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    out.append(s, 0, i);
    while (i < s.length()) {
      int c = s.codePointAt(i);
      if (allowed(s, i)) {
        out.appendCodePoint(c);
      }
      i += Character.charCount(c);
    }
    return out.toString();
  }

  /** XML 1.0's Char production: tab, LF, CR, U+0020..U+D7FF, U+E000..U+FFFD, and supplementary code points. */
  private static boolean allowed(String s, int i) {
    int c = s.codePointAt(i);
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || c > 0xFFFF;
  }
}
