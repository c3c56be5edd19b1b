package io.outlooksync.sidecar.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.sidecar.core.Action;
import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.Field;
import io.outlooksync.sidecar.core.When;
import io.outlooksync.sidecar.graph.CoreMapping;
import io.outlooksync.sidecar.graph.GraphEvent;
import io.outlooksync.sidecar.odoo.EmulatedOdoo;
import io.outlooksync.sidecar.odoo.OdooEvent;
import io.outlooksync.sidecar.odoo.OdooEventDraft;
import io.outlooksync.sidecar.odoo.OdooGateway;
import io.outlooksync.sidecar.odoo.OdooUnderTest;
import io.outlooksync.sidecar.store.SeriesLinks;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The scenarios against a fresh Odoo emulator per test; scenarios that need the emulator's controls go here. */
class SyncRunnerScenarioTest extends SeriesScenarios {
  private EmulatedOdoo emulated;

  @Override
  protected OdooUnderTest odooUnderTest() throws Exception {
    emulated = EmulatedOdoo.start();
    return emulated;
  }

  @AfterEach
  void stopEmulator() {
    emulated.close();
  }

  /** The real gateway, but the run stops right after {@code methodName} went through (the real gateway underneath). */
  private OdooGateway cutOffAfter(String methodName) {
    return (OdooGateway) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {OdooGateway.class},
        (proxy, method, args) -> {
          Object result;
          try {
            result = method.invoke(odoo, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (method.getName().equals(methodName)) {
            throw new IllegalStateException("cut off after calendar.event.create");
          }
          return result;
        });
  }

  /**
   * A run cut off after Odoo created the copy of an Outlook event but before the mapping was saved; the Outlook
   * event is then renamed and moved, so the next run cannot recognise the copy by its looks. The emulator is Odoo
   * with our addon: the copy is found by its create key.
   */
  @Test
  void anOutlookEventEditedAfterARunCutOffBeforeItsMappingIsOneOdooEventWithTheEdit() throws Exception {
    GraphEvent dentist = outlookEvent("Dentist", tomorrow);
    // Odoo's create goes through, then the run fails before it maps the event.
    OdooGateway cutOff = cutOffAfter("createEvents");
    SyncRunner.RunResult failed = new SyncRunner(store, cutOff, a -> outlook, Clock.systemUTC()).run(account, "test", false);
    assertEquals(1, failed.errors().size(), failed.errors().toString());
    assertEquals(1, odooTitled("Dentist").size(), "Odoo made the copy");
    assertEquals(0, store.mappings().count(account), "and nothing maps it");

    CalEvent c = CoreMapping.toCore(dentist);
    When later = When.timed(tomorrow.plus(2, ChronoUnit.HOURS), tomorrow.plus(3, ChronoUnit.HOURS), BRUSSELS);
    CalEvent moved = new CalEvent("Dentist (moved)", later, c.descriptionHtml(), c.location(), c.videoUrl(), c.privacy(),
        c.showAs(), c.reminderMinutes(), c.organizer(), c.attendees());
    assertTrue(outlook.write(List.of(CoreMapping.toUpdate(Set.of(Field.TITLE, Field.WHEN), moved).toWrite(dentist.id(), null)))
        .get(0).done());

    SyncRunner.RunResult next = sync();
    assertEquals(null, next.counts().get("CreateInOutlook"), "the copy is not new in Odoo: " + next.plan().describe());
    List<OdooEvent> copies = odoo.events(emulated.raw().searchAll("calendar.event",
        List.of(List.of("user_id", "=", (int) aliceUid)))).items();
    assertEquals(1, copies.size(), copies.toString());
    assertEquals("Dentist (moved)", copies.get(0).name());
    assertEquals(later.start(), copies.get(0).start());
    assertEquals(1, outlookEvents().size());
    assertEquals(copies.get(0).id(), store.mappings().byGraphId(account, dentist.id()).orElseThrow().odooEventId());
    assertEquals(0, sync().changes(), "settled");
  }

  /**
   * An Outlook event Odoo refuses every time (a constraint of another module) fails alone, is parked after
   * {@link ParkedActions#ATTEMPTS} runs, then no longer holds the cursors; other events keep syncing meanwhile; a
   * change to it tries it again.
   */
  @Test
  void anEventOdooAlwaysRefusesIsParkedAfterFiveRunsAndTheRestKeepsSyncing() throws Exception {
    emulated.emulator().controls().refuseEventNames("Poison");
    GraphEvent poison = outlookEvent("Poison lunch", tomorrow);
    outlookEvent("Dentist", tomorrow.plus(2, ChronoUnit.HOURS));
    outlookEvent("Gym", tomorrow.plus(4, ChronoUnit.HOURS));

    for (int attempt = 1; attempt <= ParkedActions.ATTEMPTS; attempt++) {
      if (attempt == 3) {
        outlookEvent("Added meanwhile", tomorrow.plus(6, ChronoUnit.HOURS));
      }
      SyncRunner.RunResult r = runner.run(account, "test", false);
      assertEquals(1, r.errors().size(), "only the refused event fails: " + r.errors());
      assertTrue(r.errors().get(0).contains("OdooUserError"), r.errors().toString());
      assertEquals(attempt == ParkedActions.ATTEMPTS, r.errors().get(0).endsWith("(parked)"), r.errors().toString());
      assertEquals(attempt == ParkedActions.ATTEMPTS, store.accounts().get(account).orElseThrow().lastSyncAt() != null,
          "the cursors move once the failure is parked, not before (attempt " + attempt + ")");
    }
    for (String title : List.of("Dentist", "Gym", "Added meanwhile")) {
      assertEquals(1, odooTitled(title).size(), title + " reached Odoo while the poison item failed");
    }
    assertEquals(0, odooTitled("Poison lunch").size());
    List<io.outlooksync.sidecar.store.PendingAction> parked = store.outbox().parked(account);
    assertEquals(1, parked.size(), parked.toString());
    assertTrue(parked.get(0).payload().contains("outlook:" + poison.id()), parked.get(0).payload());
    assertTrue(parked.get(0).lastError().contains("OdooUserError"), parked.get(0).lastError());

    assertEquals(0, sync().changes(), "a parked item is not read again: the cursors moved past it");
    store.deltaStates().clear(account);
    SyncRunner.RunResult again = sync();
    assertTrue(again.plan().describe().contains("parked after " + ParkedActions.ATTEMPTS + " failed attempts"),
        "read again unchanged (a full round), it is skipped with its reason: " + again.plan().describe());

    emulated.emulator().controls().refuseEventNames(null);
    CalEvent c = CoreMapping.toCore(poison);
    CalEvent renamed = new CalEvent("Poison lunch, moved", c.when(), c.descriptionHtml(), c.location(), c.videoUrl(), c.privacy(),
        c.showAs(), c.reminderMinutes(), c.organizer(), c.attendees());
    assertTrue(outlook.write(List.of(CoreMapping.toUpdate(Set.of(Field.TITLE), renamed).toWrite(poison.id(), null))).get(0).done());
    sync();
    assertEquals(1, odooTitled("Poison lunch, moved").size(), "a change to the parked event tries it again");
    assertEquals(List.of(), store.outbox().parked(account));
  }

  /**
   * Hostile content on both sides (a 5 MB description, 1,000 attendees among them invalid addresses, bidi and
   * zero-width characters, control characters from Outlook, 500 Outlook attendees with invalid addresses; unknown
   * time zones are the fuzzers' and the mappers' tests): each such event
   * is synced (sanitized, shortened) or fails alone with a per-item error, and the plain events beside them sync.
   */
  @Test
  void hostileContentIsSyncedOrFailsPerEventAndThePlainEventsSync() throws Exception {
    List<Map<String, Object>> guests = new java.util.ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      guests.add(Map.of("name", "Guest " + i + (i % 7 == 0 ? " \u202e" : ""),
          "email", i % 10 == 0 ? "not-an-email-" + i : i % 10 == 1 ? "g" + i + "@" : "guest" + i + "@example.com"));
    }
    List<Long> crowd = new java.util.ArrayList<>(List.of(alicePartner));
    for (Object id : io.outlooksync.sidecar.odoo.RawOdoo.list(emulated.raw().call("res.partner", "create", List.of(guests), Map.of()))) {
      crowd.add(((Number) id).longValue());
    }
    odoo.createEvents(List.of(
        OdooEventDraft.timed("Plain lunch", tomorrow, tomorrow.plusSeconds(3600)).withOrganizer(aliceUid).withPartners(List.of(alicePartner)),
        OdooEventDraft.timed("Big agenda", tomorrow.plusSeconds(7200), tomorrow.plusSeconds(9000)).withOrganizer(aliceUid)
            .withPartners(List.of(alicePartner)).withDescription("<p>" + "agenda ".repeat(750_000) + "</p>"),
        OdooEventDraft.timed("All hands", tomorrow.plusSeconds(10_800), tomorrow.plusSeconds(14_400)).withOrganizer(aliceUid)
            .withPartners(crowd),
        OdooEventDraft.timed("Tab\there, bidi \u202e, zero width \u200b", tomorrow.plusSeconds(18_000),
            tomorrow.plusSeconds(19_800)).withOrganizer(aliceUid).withPartners(List.of(alicePartner))));
    String[] invalid = new String[500];
    for (int i = 0; i < invalid.length; i++) {
      invalid[i] = i % 5 == 0 ? "x" + i + "@invalid" : "person" + i + "@example.com";
    }
    outlookEvent("Outlook crowd", tomorrow.plusSeconds(25_200), invalid);
    outlookEvent("Plain Outlook", tomorrow.plusSeconds(28_800));
    // Control characters reach Outlook through JSON; XML-RPC cannot carry them, and Odoo strips them from replies.
    outlookEvent("Bell \u0007, escape \u001b[31m, nul \u0000", tomorrow.plusSeconds(32_400));

    SyncRunner.RunResult first = runner.run(account, "test", false);
    String plan = first.plan().describe();
    assertEquals(1, odooTitled("Plain Outlook").size(), "the plain Outlook event reached Odoo: " + first.errors());
    assertTrue(outlookEvents().stream().anyMatch(e -> "Plain lunch".equals(e.subject())), "the plain Odoo event reached Outlook");
    for (String title : List.of("Big agenda", "All hands")) {
      boolean synced = outlookEvents().stream().anyMatch(e -> title.equals(e.subject()));
      assertTrue(synced || !first.errors().isEmpty(), title + " is synced or has its own error: " + first.errors() + "\n" + plan);
    }
    assertEquals(1, odooTitled("Outlook crowd").size(), "the crowded Outlook meeting reached Odoo: " + first.errors());
    assertEquals(1, odoo.eventsChangedSince(Instant.EPOCH, 0, 100).items().stream().filter(e -> e.name().startsWith("Bell ")).count(),
        "an Outlook title with control characters reached Odoo (without them): " + first.errors());
    GraphEvent big = outlookTitled("Big agenda");
    assertTrue(big.bodyHtml() == null || big.bodyHtml().length() < 5_000_000, "a 5 MB description is shortened before Outlook");
    SyncRunner.RunResult second = runner.run(account, "test", false);
    assertTrue(second.errors().size() <= first.errors().size(), "nothing new fails: " + second.errors());
    assertEquals(second.errors().size(), second.changes(), "settled but for what failed: " + second.plan().describe());
    System.out.println("hostile content: first run errors " + first.errors() + "; second run errors " + second.errors());
  }

  /** A run cut off after Odoo made a series from Outlook and before it was saved: the next run finds it by its key. */
  @Test
  void aSeriesOdooMadeBeforeARunWasCutOffIsNotMadeTwice() throws Exception {
    GraphEvent master = outlookSeries("Piano", weekly(monday, 3, java.time.DayOfWeek.FRIDAY), NINE);
    OdooGateway cutOff = cutOffAfter("createSeries");
    SyncRunner.RunResult failed = new SyncRunner(store, cutOff, a -> outlook, Clock.systemUTC()).run(account, "test", false);
    assertEquals(1, failed.errors().size(), failed.errors().toString());
    assertEquals(3, odooTitled("Piano").stream().filter(OdooEvent::active).count(), "Odoo made the series");

    settle();
    assertEquals(3, odooTitled("Piano").stream().filter(OdooEvent::active).count(), "and only once");
    assertSameOccurrences(store.series().byGraphMaster(account, master.id()).orElseThrow().odooRecurrenceId(), master.id());
  }

  /**
   * A run cut off after Odoo made a series' next part (past its 720 events) and before it was saved: the next run
   * takes the new recurrence for that part, not for a split (no new Outlook series, the Outlook series not ended).
   */
  @Test
  void aPartOdooMadeBeforeARunWasCutOffIsTakenAsThatPart() throws Exception {
    GraphEvent master = outlookSeries("Forever cut", dailyForever(java.time.LocalDate.now(BRUSSELS).minusDays(400)), NINE);
    sync();
    SyncRunner.RunResult failed = new SyncRunner(store, cutOffAfter("writeSeries"), a -> outlook, Clock.systemUTC())
        .run(account, "test", false);
    assertEquals(1, failed.counts().get("ContinueSeriesInOdoo"), failed.plan().describe());
    assertEquals(1, failed.errors().size(), failed.errors().toString());
    SeriesLinks.Series row = store.series().byGraphMaster(account, master.id()).orElseThrow();
    assertEquals(List.of(), store.series().parts(row.id()), "not saved");

    List<SyncRunner.RunResult> runs = settle();
    assertEquals(1, store.series().parts(row.id()).size(), describe(runs));
    assertEquals(0, count(runs, Action.ContinueSeriesInOdoo.class) + count(runs, Action.CreateSeriesInOutlook.class)
        + count(runs, Action.UpdateSeriesInOutlook.class), describe(runs));
    assertEquals(Set.of(master.id()), outlook.firstPage(Instant.now(), Instant.now().plus(200, ChronoUnit.DAYS), 100).items().stream()
        .filter(i -> i instanceof io.outlooksync.sidecar.graph.DeltaItem.OccurrenceStub)
        .map(i -> ((io.outlooksync.sidecar.graph.DeltaItem.OccurrenceStub) i).seriesMasterId()).collect(java.util.stream.Collectors.toSet()),
        "one Outlook series");
    assertEveryDayOnceOnBothSides(row, java.time.Instant.now(), describe(runs));
  }
}
