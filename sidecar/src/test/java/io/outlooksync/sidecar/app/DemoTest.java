package io.outlooksync.sidecar.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code outlook-sync demo --once}: both emulators, a sidecar, a user connected through the real sign-in, then synced. */
class DemoTest {
  @Test
  void theDemoConnectsAUserSyncsBothWaysWithoutDuplicatesAndExitsZero() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int exit = Main.run(new String[] {"demo", "--once"}, Map.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(Main.OK, exit, out);
    assertTrue(out.contains("Odoo sample data:       3 events"), out);
    assertTrue(out.contains("CONNECTED as alice@example.com"), out);
    assertTrue(out.contains("Account state: CONNECTED"), out);
    assertTrue(out.contains("3 event(s) to Outlook, 1 to Odoo, errors 0"), out);
    assertTrue(out.contains("Second run: 0 changes"), out);
    assertTrue(out.contains("the scheduler synced it to Outlook after"), out);
    assertTrue(out.contains("UpdateOdoo: changed in Outlook: [WHEN]"), "the plan of the edits' run is shown: " + out);
    assertTrue(out.contains("UpdateOutlook: changed in Odoo: [LOCATION]"), out);
    assertTrue(out.contains("events to Outlook 3, to Odoo 1, edits to Outlook 1, to Odoo 1, conflicts 0, duplicates 0, e-mails caused 0"),
        out);
  }

  @Test
  void anUnknownDemoOptionIsAUsageError() {
    assertEquals(Main.USAGE, Main.run(new String[] {"demo", "--twice"}, Map.of(), new PrintStream(new ByteArrayOutputStream())));
  }
}
