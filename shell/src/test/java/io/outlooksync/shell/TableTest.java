package io.outlooksync.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TableTest {
  private static String render(boolean colour) {
    StringWriter text = new StringWriter();
    PrintWriter w = new PrintWriter(text);
    Output out = new Output(w, w, colour);
    new Table("USER", "STATE", "LAST ERROR").style(1, out::state)
        .row("prod/7", "CONNECTED", null)
        .row("archive/12", "NEEDS_REAUTH", "token refresh failed")
        .print(out);
    return text.toString();
  }

  @Test
  void columnsAlignOnThePlainTextAndColourDoesNotShiftThem() {
    String plain = render(false);
    assertEquals(String.join(System.lineSeparator(),
        "USER        STATE         LAST ERROR",
        "prod/7      CONNECTED     -",
        "archive/12  NEEDS_REAUTH  token refresh failed", ""), plain);
    String coloured = render(true);
    assertTrue(coloured.contains("\033[31mNEEDS_REAUTH\033[0m"), coloured);
    assertEquals(plain, coloured.replaceAll("\033\\[[0-9;]*m", ""));
  }
}
