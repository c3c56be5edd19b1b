package io.outlooksync.sidecar.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.fixtures.m365.M365EmulatorExtension;
import io.outlooksync.fixtures.m365.RequestLog;
import io.outlooksync.sidecar.graph.GraphEvent;
import io.outlooksync.sidecar.odoo.EventChanges;
import io.outlooksync.sidecar.core.Action;
import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.When;
import io.outlooksync.sidecar.graph.CoreMapping;
import io.outlooksync.sidecar.graph.GraphWrite;
import io.outlooksync.sidecar.graph.WriteResult;
import io.outlooksync.sidecar.odoo.OdooEventDraft;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a run asks of Graph when it gathers in bulk: nothing but its delta round when nothing changed (the
 * watermark's second read again, our own writes come back), one {@code $batch} for the Outlook side of many
 * changed Odoo events, and nothing twice when Graph sends items again within a round.
 */
class SyncRunnerBulkTest {
  @RegisterExtension
  static final M365EmulatorExtension m365 = new M365EmulatorExtension();

  @TempDir
  Path dataDir;

  EmulatedAccount emulated;
  SyncRunner runner;
  final Instant tomorrow = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.DAYS);

  @BeforeEach
  void start() throws Exception {
    emulated = new EmulatedAccount(m365.emulator(), dataDir);
    runner = new SyncRunner(emulated.store, emulated.odoo, a -> emulated.outlook, Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    emulated.close();
  }

  private List<Long> odooEvents(int n) {
    return emulated.odoo.createEvents(emulated.hourly("Planning", tomorrow, n));
  }

  private SyncRunner.RunResult sync() throws Exception {
    SyncRunner.RunResult r = runner.run(emulated.account, "test", false);
    assertTrue(r.succeeded(), r.errors().toString());
    return r;
  }

  /** A sync while another thread calls {@code look} over and over, until it answers true or the run ends. */
  private SyncRunner.RunResult syncWatching(BooleanSupplier look) throws Exception {
    Thread watch = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted() && !look.getAsBoolean()) {
        Thread.onSpinWait();
      }
    });
    watch.start();
    try {
      return sync();
    } finally {
      watch.interrupt();
      watch.join();
    }
  }

  /** What the last run asked of Graph, as "METHOD path-without-query", batch steps included. */
  private List<String> graphRequests() {
    List<String> out = new ArrayList<>();
    for (RequestLog.Entry e : m365.emulator().requestLog().forMailbox(EmulatedAccount.ALICE)) {
      String path = e.path().contains("?") ? e.path().substring(0, e.path().indexOf('?')) : e.path();
      out.add((e.inBatch() ? "step " : "") + e.method() + " " + (path.contains("/events/") ? "/v1.0/me/events/{id}" : path));
    }
    return out;
  }

  @Test
  void runsAfterAPushReadOutlookOnlyThroughTheirDeltaRound() throws Exception {
    odooEvents(30); // one create: all in one second, the watermark's, which every later run reads again
    assertEquals(30, sync().counts().get("CreateInOutlook"));

    for (int run = 0; run < 2; run++) {
      m365.emulator().requestLog().clear();
      assertEquals(0, sync().changes());
      assertTrue(graphRequests().stream().allMatch(r -> r.startsWith("GET /v1.0/me/calendarView/delta")),
          "run " + run + " read no event by id: " + graphRequests());
    }
  }

  @Test
  void theOutlookSideOfManyChangedOdooEventsIsReadInBatches() throws Exception {
    List<Long> ids = odooEvents(25);
    sync();
    sync(); // our own creates come back in the delta round once
    Map<Long, EventChanges> renames = new HashMap<>();
    ids.forEach(id -> renames.put(id, EventChanges.of().name("Renamed " + id)));
    emulated.odoo.writeEvents(renames);
    m365.emulator().requestLog().clear();

    SyncRunner.RunResult r = sync();

    assertEquals(25, r.counts().get("UpdateOutlook"));
    List<String> requests = graphRequests();
    assertEquals(25, requests.stream().filter(q -> q.equals("step GET /v1.0/me/events/{id}")).count(), requests.toString());
    assertEquals(0, requests.stream().filter(q -> q.equals("GET /v1.0/me/events/{id}")).count(), "no GET outside a batch");
    assertEquals(2 + 2, requests.stream().filter(q -> q.equals("POST /v1.0/$batch")).count(), "two batches of reads, two of writes");
    assertTrue(EmulatedAccount.outlookEvents(emulated.outlook).stream().allMatch(e -> e.subject().startsWith("Renamed ")));
  }

  @Test
  void outlookEventsGraphSendsTwiceInARoundAreCreatedInOdooOnce() throws Exception {
    for (int i = 0; i < 30; i++) {
      emulated.outlookEvent("Call " + i, tomorrow.plus(i, ChronoUnit.HOURS));
    }
    m365.emulator().controls().deltaReplayRate(0.5);

    assertEquals(30, sync().counts().get("CreateInOdoo"));
    m365.emulator().controls().deltaReplayRate(0);

    List<GraphEvent> outlook = EmulatedAccount.outlookEvents(emulated.outlook);
    assertEquals(30, outlook.size());
    assertEquals(30, emulated.store.mappings().count(emulated.account));
    assertEquals(0, sync().changes());
  }

  /** Odoo pages read so far: each page's events have their attendee rows read once. */
  private int eventPagesRead() {
    return (int) emulated.odooEmulator.calls().calls().stream().filter("calendar.attendee.search_read"::equals).count();
  }

  /**
   * Odoo's changes are planned and written a page at a time: Outlook's first batch goes out while later pages are
   * still to be read (Odoo is slowed so that a page takes a while), and every event arrives once.
   */
  @Test
  void outlookWritesStartBeforeOdoosLastPageIsRead() throws Exception {
    emulated.odoo.createEvents(emulated.hourly("Planning", tomorrow, 1200)); // a first page of 100, then 500s: four
    emulated.odooEmulator.controls().serviceTime(Duration.ofMillis(150));
    emulated.odooEmulator.calls().clear();
    m365.emulator().requestLog().clear();
    AtomicInteger pagesAtFirstWrite = new AtomicInteger(-1);
    SyncRunner.RunResult r = syncWatching(() -> {
      int pages = eventPagesRead();
      if (graphRequests().contains("POST /v1.0/$batch")) {
        pagesAtFirstWrite.set(pages);
        return true;
      }
      return false;
    });
    emulated.odooEmulator.controls().serviceTime(Duration.ZERO);

    assertEquals(1200, r.counts().get("CreateInOutlook"));
    assertEquals(4, eventPagesRead(), "four pages: " + emulated.odooEmulator.calls().calls());
    assertTrue(pagesAtFirstWrite.get() >= 1 && pagesAtFirstWrite.get() <= 2,
        "the first Outlook batch went out after " + pagesAtFirstWrite.get() + " of 4 Odoo pages were read");
    assertEquals(1200, EmulatedAccount.outlookEvents(emulated.outlook).size());
    assertEquals(0, sync().changes());
  }

  /**
   * Look-alikes (same title, start, end, organizer) are linked across pages: two identical Odoo events, one on the
   * first page and one on the last, and their two Outlook twins give two links and no copy either way.
   */
  @Test
  void lookAlikesOnDifferentOdooPagesAreLinkedNotCopied() throws Exception {
    Instant standup = tomorrow.plus(Duration.ofDays(90));
    OdooEventDraft inOdoo = OdooEventDraft.timed("Stand-up", standup, standup.plusSeconds(1800)).withOrganizer(emulated.aliceUid)
        .withPartners(List.of(emulated.alicePartner));
    emulated.odoo.createEvents(List.of(inOdoo));
    emulated.odoo.createEvents(emulated.hourly("Planning", tomorrow, 1000));
    emulated.odoo.createEvents(List.of(inOdoo));
    CalEvent inOutlook = new CalEvent("Stand-up", When.timed(standup, standup.plusSeconds(1800), ZoneId.of("Europe/Brussels")), null, null,
        null, null, null, null, null, null);
    List<WriteResult> twins = emulated.outlook.write(List.of(new GraphWrite.Create(CoreMapping.toDraft(inOutlook, false, null), "twin-1"),
        new GraphWrite.Create(CoreMapping.toDraft(inOutlook, false, null), "twin-2")));
    assertTrue(twins.stream().allMatch(WriteResult::done), twins.toString());

    SyncRunner.RunResult r = sync();

    assertLinkedAndCopiedOnce(r, 2, null, 1000, 1002);
  }

  /**
   * The run linked {@code adopted} look-alikes and created the rest once each way ({@code null}: none): {@code total}
   * events in Outlook, each mapped, and a second run has nothing to do.
   */
  private void assertLinkedAndCopiedOnce(SyncRunner.RunResult r, int adopted, Integer toOdoo, Integer toOutlook, int total)
      throws Exception {
    assertEquals(adopted, r.counts().get("Adopt"), r.plan().describe().lines().filter(l -> !l.contains("Planning")).toList().toString());
    assertEquals(toOdoo, r.counts().get("CreateInOdoo"));
    assertEquals(toOutlook, r.counts().get("CreateInOutlook"));
    assertEquals(total, EmulatedAccount.outlookEvents(emulated.outlook).size());
    assertEquals(total, emulated.store.mappings().count(emulated.account));
    assertEquals(0, sync().changes());
  }

  /**
   * A first sync of more new Outlook events than a run keeps in memory: they wait in a file in the spill directory
   * (gone once the run ends), look-alikes of Odoo events on its first and its last page are still linked, and
   * every other event is created in Odoo once, Graph's repeats within the round included.
   */
  @Test
  void aFirstSyncSetsManyNewOutlookEventsAsideAndStillLinksLookAlikes() throws Exception {
    Path spill = dataDir.resolve("runs");
    runner.spillTo(spill).backlogInMemory(5);
    Instant standup = tomorrow.plus(Duration.ofDays(90));
    OdooEventDraft inOdoo = OdooEventDraft.timed("Stand-up", standup, standup.plusSeconds(1800)).withOrganizer(emulated.aliceUid)
        .withPartners(List.of(emulated.alicePartner));
    emulated.odoo.createEvents(List.of(inOdoo));
    emulated.odoo.createEvents(emulated.hourly("Planning", tomorrow, 600)); // pages of 100, 500 and 1: twins on the first and last
    emulated.odoo.createEvents(List.of(inOdoo));
    CalEvent twin = new CalEvent("Stand-up", When.timed(standup, standup.plusSeconds(1800), ZoneId.of("Europe/Brussels")), null, null,
        null, null, null, null, null, null);
    List<GraphWrite> writes = new ArrayList<>();
    writes.add(new GraphWrite.Create(CoreMapping.toDraft(twin, false, null), "twin-1"));
    for (int i = 0; i < 300; i++) {
      Instant at = tomorrow.plus(Duration.ofDays(200)).plus(i, ChronoUnit.HOURS);
      CalEvent call = new CalEvent("Call " + i, When.timed(at, at.plusSeconds(900), ZoneId.of("Europe/Brussels")), null, null, null, null,
          null, null, null, null);
      writes.add(new GraphWrite.Create(CoreMapping.toDraft(call, false, null), "call-" + i));
    }
    writes.add(new GraphWrite.Create(CoreMapping.toDraft(twin, false, null), "twin-2"));
    List<WriteResult> written = emulated.outlook.write(writes);
    assertTrue(written.stream().allMatch(WriteResult::done), written.toString());
    m365.emulator().controls().deltaReplayRate(0.5);
    AtomicBoolean setAside = new AtomicBoolean();
    SyncRunner.RunResult r = syncWatching(() -> {
      setAside.set(!OutlookBacklogTest.openFilesUnder(spill).isEmpty());
      return setAside.get();
    });
    m365.emulator().controls().deltaReplayRate(0);

    assertTrue(setAside.get(), "the run set its new Outlook events aside in a file");
    assertEquals(List.of(), OutlookBacklogTest.openFilesUnder(spill), "and let it go");
    try (Stream<Path> files = Files.list(spill)) {
      assertEquals(List.of(), files.toList(), "leaving nothing on disk");
    }
    assertLinkedAndCopiedOnce(r, 2, 300, 600, 902);
  }

  /** A spill directory that cannot be written fails the run with the reason; nothing is lost, the next run does it all. */
  @Test
  void aSpillDirectoryThatCannotBeWrittenFailsTheRunAndLosesNothing() throws Exception {
    Path blocked = Files.writeString(dataDir.resolve("runs"), "a file where the directory should be");
    runner.spillTo(blocked).backlogInMemory(2);
    for (int i = 0; i < 5; i++) {
      emulated.outlookEvent("Call " + i, tomorrow.plus(i, ChronoUnit.HOURS));
    }

    SyncRunner.RunResult failed = runner.run(emulated.account, "test", false);

    assertFalse(failed.succeeded());
    assertTrue(failed.errors().get(0).contains("this run's new Outlook events could not be set aside in " + blocked), failed.errors().toString());
    assertEquals(0, emulated.store.mappings().count(emulated.account));
    runner.spillTo(dataDir.resolve("spill"));
    assertEquals(5, sync().counts().get("CreateInOdoo"));
    assertEquals(0, sync().changes());
  }
}
