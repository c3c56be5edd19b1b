package io.outlooksync.sidecar.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.sidecar.core.Action;
import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.Plan;
import io.outlooksync.sidecar.core.When;
import io.outlooksync.sidecar.store.Database;
import io.outlooksync.sidecar.store.Outbox;
import io.outlooksync.sidecar.store.SecretBox;
import io.outlooksync.sidecar.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parking on a real (embedded) store, one action through the outbox as the runner drives it: refusals count,
 * passing failures (throttling, outages) do not, a parked action is skipped while it would write the same, and
 * taken up again from its first attempt once its content changed.
 */
class ParkedActionsTest {
  @TempDir
  Path dir;

  @Test
  void refusalsParkAfterFiveRunsOutagesNeverAndAChangeTakesItUpAgain() throws Exception {
    try (Store store = Store.open(Database.embedded(dir), SecretBox.fromSpec(SecretBox.newKeyLine("k1")), Clock.systemUTC())) {
      long account = store.accounts().ensure("prod", 7, "alice").id();
      ParkedActions parked = new ParkedActions(store.outbox());
      Action create = create("Lunch");

      for (int run = 1; run <= 8; run++) {
        failOnce(store, account, parked, create, "Outlook answered UNAVAILABLE 503 serviceNotAvailable");
      }
      assertEquals(List.of(), store.outbox().parked(account), "an outage parks nothing, however long");

      for (int run = 1; run <= ParkedActions.ATTEMPTS; run++) {
        Map<String, String> holding = failOnce(store, account, parked, create, "Outlook answered FAILED 400 ErrorInvalidRequest");
        assertEquals(run < ParkedActions.ATTEMPTS, holding.containsKey(create.id()), "still holding the cursors at run " + run);
      }
      assertEquals(1, store.outbox().parked(account).size());

      Plan again = parked.screen(account, new Plan(List.of(create)), false);
      Action.Skip skip = assertInstanceOf(Action.Skip.class, again.actions().get(0));
      assertTrue(skip.reason().startsWith("parked after 5 failed attempts (Outlook answered FAILED 400"), skip.reason());
      assertEquals("odoo:42", skip.subject());

      Action changed = create("Lunch, moved");
      assertEquals(changed.id(), create.id(), "the same action, other content");
      Plan dry = parked.screen(account, new Plan(List.of(changed)), true);
      assertEquals(changed, dry.actions().get(0), "a dry run plans it again");
      assertEquals(1, store.outbox().parked(account).size(), "but takes nothing up");
      assertEquals(changed, parked.screen(account, new Plan(List.of(changed)), false).actions().get(0));
      assertEquals(List.of(), store.outbox().parked(account));
      assertEquals(0, store.outbox().byActionId(create.id()).orElseThrow().attempts(), "counted from its first attempt again");
    }
  }

  /** One run in which the action is decided, queued and fails with {@code why}; what still holds the cursors. */
  private static Map<String, String> failOnce(Store store, long account, ParkedActions parked, Action a, String why) throws Exception {
    Plan plan = parked.screen(account, new Plan(List.of(a)), false);
    store.outbox().enqueue(account, null, List.of(new Outbox.NewAction(a.id(), "CreateInOutlook", "{}")));
    store.outbox().failed(a.id(), why, Instant.now(), false);
    return parked.park(plan, Map.of(a.id(), why));
  }

  private static Action create(String title) {
    Instant start = Instant.parse("2026-12-01T09:00:00Z");
    CalEvent c = new CalEvent(title, When.timed(start, start.plusSeconds(3600), ZoneId.of("UTC")), null, null, null, null, null, null,
        null, null);
    return new Action.CreateInOutlook("create-outlook-42", 42, c, false, "new in Odoo");
  }
}
