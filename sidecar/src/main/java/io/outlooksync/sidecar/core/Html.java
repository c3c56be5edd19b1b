package io.outlooksync.sidecar.core;


/**
 * Just enough HTML handling to compare descriptions: Odoo sanitizes HTML and Outlook wraps it in its own
 * document, so the same text comes back in different markup. Two descriptions are the same when their visible
 * text is. (Sanitizing what is written belongs to the adapters.)
 */
public final class Html {
  private Html() {}

  public static String comparable(String html) {
    if (html == null) {
      return "";
    }
    String text = html
        .replaceAll("(?is)<(script|style|head)[^>]*>.*?</\\1>", " ")
        .replaceAll("(?i)<br\\s*/?>|</p>|</div>|</li>|</h[1-6]>", "\n")
        .replaceAll("(?s)<[^>]*>", " ")
        .replace("&nbsp;", " ").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
        .replace("&#39;", "'");
    return text.replaceAll("\\s+", " ").strip();
  }
}
