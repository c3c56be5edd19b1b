package io.outlooksync.sidecar.graph;

import java.util.regex.Pattern;

/**
 * Odoo's video-call link travels in Outlook's location. Graph's {@code onlineMeetingUrl} is read-only and we never
 * ask Graph for a Teams meeting, so the location is the one field that carries a link both ways without touching
 * the description: written as {@code "place | link"} (or the link alone), read back by splitting it off again.
 */
final class VideoLink {
  static final String SEPARATOR = " | ";
  private static final Pattern LINK = Pattern.compile("(?i)https?://\\S+");

  /** A location split into the place and the video link it carries (each null when absent). */
  record Split(String place, String link) {}

  private VideoLink() {}

  /** The location to write: the place, the link, or both joined. Null when there is neither. */
  static String join(String place, String link) {
    String p = blankToNull(place);
    String l = blankToNull(link);
    if (l == null) {
      return p;
    }
    return p == null ? l : p + SEPARATOR + l;
  }

  /**
   * The reverse of {@link #join}: a location that is a single link, or ends with our separator and a link,
   * carries a video link. Anything else is a place, whatever it contains.
   */
  static Split split(String location) {
    String s = blankToNull(location);
    if (s == null) {
      return new Split(null, null);
    }
    if (LINK.matcher(s).matches()) {
      return new Split(null, s);
    }
    int cut = s.lastIndexOf(SEPARATOR);
    if (cut >= 0) {
      String tail = s.substring(cut + SEPARATOR.length()).strip();
      if (LINK.matcher(tail).matches()) {
        return new Split(blankToNull(s.substring(0, cut)), tail);
      }
    }
    return new Split(s, null);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
