package io.outlooksync.sidecar.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.Field;
import io.outlooksync.sidecar.core.When;
import io.outlooksync.sidecar.graph.CoreMapping;
import io.outlooksync.sidecar.graph.GraphEvent;
import io.outlooksync.sidecar.odoo.EmulatedOdoo;
import io.outlooksync.sidecar.odoo.OdooEvent;
import io.outlooksync.sidecar.odoo.OdooGateway;
import io.outlooksync.sidecar.odoo.OdooUnderTest;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
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
    assertEquals(0, sync().plan().changes(), "settled");
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
}
