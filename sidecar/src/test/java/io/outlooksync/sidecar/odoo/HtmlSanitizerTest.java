package io.outlooksync.sidecar.odoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.sidecar.core.Html;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HtmlSanitizerTest {

  private static String clean(String html) {
    return HtmlSanitizer.sanitize(html).html();
  }

  @Test
  void keepsFormatting() {
    String html = "<p style=\"color: #c00; font-family: Calibri\">Agenda</p><ul><li><b>one</b></li><li><i>two</i></li></ul>"
        + "<table border=\"1\"><tr><td colspan=\"2\">cell</td></tr></table><p><a href=\"https://example.com/x?a=1&amp;b=2\">"
        + "link</a><br><font color=\"red\">red</font></p>";
    HtmlSanitizer.Result r = HtmlSanitizer.sanitize(html);
    assertEquals(html, r.html());
    assertFalse(r.removedActive());
    assertFalse(r.shortened());
  }

  @Test
  void removesScriptsHandlersAndActiveElements() {
    String html = "<p onclick=\"steal()\" OnMouseOver='x()'>Hi<script>alert('<p>')</script></p>"
        + "<iframe src=\"https://evil.example\"><p>inside</p></iframe><object data=x><embed src=y></object>"
        + "<img src=x onerror=alert(1)><SCRIPT type=text/javascript>a()</SCRIPT >end";
    HtmlSanitizer.Result r = HtmlSanitizer.sanitize(html);
    assertEquals("<p>Hi</p><img src=\"x\">end", r.html());
    assertTrue(r.removedActive());
  }

  @Test
  void refusesScriptUrlsHoweverTheyAreSpelt() {
    for (String href : new String[] {"javascript:alert(1)", " JavaScript:alert(1)", "jav&#x61;script:alert(1)",
        "java&#9;script:alert(1)", "jav\tascript:x", "vbscript:x", "data:text/html;base64,PHNjcmlwdD4=",
        "javascript&colon;alert(1)"}) {
      String out = clean("<a href=\"" + href + "\">x</a>");
      assertEquals("<a>x</a>", out, href);
    }
    assertEquals("<a href=\"mailto:a@b.c\">m</a>", clean("<a href=\"mailto:a@b.c\">m</a>"));
    assertEquals("<a href=\"/path:with/colon\">r</a>", clean("<a href=\"/path:with/colon\">r</a>"));
    assertEquals("<p>x</p>", clean("<p style=\"background:url(javascript:alert(1))\">x</p>"));
    assertEquals("<p>x</p>", clean("<p style=\"width: expr/**/ession(alert(1))\">x</p>"));
  }

  @Test
  void unwrapsOutlooksDocumentAndDropsItsStylesheet() {
    String outlook = "<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head><meta charset=utf-8>"
        + "<style><!-- p.MsoNormal {margin:0} --></style></head><body lang=EN-US><div class=WordSection1>"
        + "<p class=MsoNormal>Line&nbsp;one<o:p></o:p></p><!-- a comment <script>x</script> --></div></body></html>";
    HtmlSanitizer.Result r = HtmlSanitizer.sanitize(outlook);
    assertEquals("<div><p>Line&nbsp;one</p></div>", r.html());
    assertFalse(r.removedActive(), "a stylesheet is not active content");
    assertEquals(Html.comparable(outlook), Html.comparable(r.html()));
  }

  @Test
  void textCannotOpenATagAndTagsAreBalanced() {
    assertEquals("1 &lt; 2 &gt; 0", clean("1 < 2 > 0"));
    assertEquals("<b><i>x</i></b>", clean("<b><i>x</b>"));
    assertEquals("x", clean("x</p></div>"));
    assertEquals("<p title=\"a&quot;b\">t</p>", clean("<p title='a\"b'>t</p>"));
    assertEquals("<p>", clean("<p").substring(0, 3));
    assertNull(clean(null));
  }

  @Test
  void capsTheSizeWithAVisibleNote() {
    String html = "<div><p>" + "é".repeat(200_000) + "</p></div>"; // 400,000 bytes of text
    HtmlSanitizer.Result r = HtmlSanitizer.sanitize(html, 100_000);
    int bytes = r.html().getBytes(StandardCharsets.UTF_8).length;
    assertTrue(bytes <= 100_000, "within the cap: " + bytes);
    assertTrue(bytes > 99_000, "the cap is used, not undershot: " + bytes);
    assertTrue(r.shortened());
    assertTrue(r.html().endsWith("</p></div><p>" + HtmlSanitizer.SHORTENED_NOTE + "</p>"), "open tags closed first");
    assertTrue(Html.comparable(r.html()).endsWith(HtmlSanitizer.SHORTENED_NOTE));

    HtmlSanitizer.Result entities = HtmlSanitizer.sanitize("<p>" + "&amp;".repeat(50_000) + "</p>", 1_000);
    assertTrue(entities.html().matches("<p>(&amp;)+</p><p>\\[description.*"), "never cut inside an entity");

    HtmlSanitizer.Result small = HtmlSanitizer.sanitize("<p>short</p>", 100_000);
    assertFalse(small.shortened());
    assertEquals("<p>short</p>", small.html());
  }
}
