package io.outlooksync.sidecar.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outlooksync.sidecar.core.Action;
import io.outlooksync.sidecar.core.Attendee;
import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.Mapping;
import io.outlooksync.sidecar.core.Person;
import io.outlooksync.sidecar.core.Plan;
import io.outlooksync.sidecar.core.Privacy;
import io.outlooksync.sidecar.core.Reconciler;
import io.outlooksync.sidecar.core.Response;
import io.outlooksync.sidecar.core.ShowAs;
import io.outlooksync.sidecar.core.SyncInput;
import io.outlooksync.sidecar.core.SyncOptions;
import io.outlooksync.sidecar.core.When;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The journal's run inputs: every field survives the round trip; a replay plans the same; too big is said. */
class RunRecordTest {
  static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");
  static final Instant NOW = Instant.parse("2026-03-02T08:00:00Z");
  static final Person ALICE = new Person("Alice", "alice@example.com");
  static final Person BOB = new Person("Bob", "bob@example.com");

  static CalEvent meeting(String title, Instant start) {
    return new CalEvent(title, When.timed(start, start.plusSeconds(3600), BRUSSELS), "<p>agenda</p>", "Room 1", "https://meet.example/x",
        Privacy.PRIVATE, ShowAs.TENTATIVE, List.of(15, 60), ALICE, List.of(new Attendee(BOB, true, Response.ACCEPTED),
            new Attendee(new Person("no mail", null), false, Response.NONE)));
  }

  static SyncInput input(String newTitle) {
    CalEvent base = meeting("Planning", NOW.plusSeconds(86_400));
    CalEvent allDay = new CalEvent("Holiday", When.allDay(LocalDate.of(2026, 3, 9), LocalDate.of(2026, 3, 10), BRUSSELS),
        null, null, null, null, null, null, null, null);
    Mapping m = new Mapping(4, 1, 41L, "AAMk-41", "ical-41", "ck-1", null, null, Snapshots.write(base),
        Snapshots.withArchived(Snapshots.write(base), false), null, null);
    CalEvent edited = meeting("Planning (moved)", NOW.plusSeconds(90_000));
    SyncInput.Pair pair = new SyncInput.Pair(m, base, false, new SyncInput.OdooState(41, edited, true, NOW.minusSeconds(60)),
        new SyncInput.OutlookState("AAMk-41", "ical-41", "ck-1", base, true, false, Response.NONE, NOW.minusSeconds(3600)));
    Mapping gone = new Mapping(5, 1, 42L, "AAMk-42", null, null, null, null, Snapshots.write(allDay), null, null, null);
    SyncInput.Pair deleted = new SyncInput.Pair(gone, allDay, true, null, null);
    return new SyncInput("alice@example.com", List.of(pair, deleted),
        List.of(new SyncInput.OdooState(43, meeting(newTitle, NOW.plusSeconds(200_000)), true, NOW)),
        List.of(new SyncInput.OutlookState("AAMk-new", "ical-new", "ck-9", allDay, false, false, Response.TENTATIVE, null)),
        Map.of("ical-other", 77L), new SyncOptions(NOW, NOW.minusSeconds(1_000_000), NOW.plusSeconds(9_000_000), true, false));
  }

  static List<Action> notes() {
    return List.of(new Action.Skip("skip-series-x", "outlook:x", "part of a series; series are not synced yet"));
  }

  static String planOf(SyncInput in) {
    List<Action> all = new ArrayList<>(notes());
    all.addAll(Reconciler.plan(in).actions());
    Plan plan = new Plan(all);
    return RunRecord.plan(plan, plan.mail(in.mailbox()));
  }

  @Test
  void everyFieldOfTheInputSurvivesTheJournal() {
    SyncInput in = input("Kick-off");
    RunRecord.Inputs back = RunRecord.read(RunRecord.inputs(in, notes()), new StringBuilder()).orElseThrow();
    assertEquals(in, back.input());
    assertEquals(notes(), back.notes());
  }

  @Test
  void aRecordedRunReplaysToTheSamePlan() {
    SyncInput in = input("Kick-off");
    Replay.Result r = Replay.of(9, RunRecord.inputs(in, notes()), planOf(in));
    assertTrue(r.reproduced(), r.differences().toString());
    assertTrue(r.replayed().size() >= 4, r.replayed().toString());
    assertEquals(r.recorded(), r.replayed());
  }

  @Test
  void aChangedInputShowsWhereThePlansDiffer() throws Exception {
    SyncInput in = input("Kick-off");
    String plan = planOf(in);
    // The new Odoo event as recorded, moved into the past: it is no longer pushed.
    ObjectMapper json = new ObjectMapper();
    ObjectNode doc = (ObjectNode) json.readTree(RunRecord.inputs(in, notes()));
    ObjectNode content = (ObjectNode) doc.get("new_in_odoo").get(0).get("content");
    content.put("start", "2026-03-01T09:00:00Z").put("end", "2026-03-01T10:00:00Z");
    Replay.Result r = Replay.of(9, json.writeValueAsString(doc), plan);
    assertFalse(r.reproduced());
    assertTrue(r.differences().stream().anyMatch(d -> d.startsWith("only in the recorded plan: CreateInOutlook")), r.differences().toString());
    assertTrue(r.differences().stream().anyMatch(d -> d.startsWith("only in the replay: Skip skip-past-")), r.differences().toString());
  }

  @Test
  void theActionsInThePlanNameTheIdsTheyTouch() throws Exception {
    SyncInput in = input("Kick-off");
    var actions = new ObjectMapper().readTree(planOf(in)).get("actions");
    boolean sawUpdate = false;
    for (var a : actions) {
      if (a.get("kind").asText().equals("UpdateOutlook")) {
        assertEquals(4, a.get("mapping").asLong());
        assertEquals("AAMk-41", a.get("graph_id").asText());
        sawUpdate = true;
      }
      if (a.get("kind").asText().equals("CreateInOutlook")) {
        assertEquals(43, a.get("odoo_event_id").asLong());
      }
    }
    assertTrue(sawUpdate, actions.toString());
  }

  @Test
  void anInputTooBigForTheJournalIsSaidNotKeptAndTheRunIsNotReplayable() {
    String huge = "x".repeat(RunRecord.MAX_INPUT_CHARS);
    CalEvent big = new CalEvent("Big", When.timed(NOW.plusSeconds(3600), NOW.plusSeconds(7200), BRUSSELS), huge, null, null, null,
        null, null, null, null);
    SyncInput in = new SyncInput("alice@example.com", List.of(), List.of(new SyncInput.OdooState(7, big, true, NOW)), List.of(), Map.of(),
        new SyncOptions(NOW, NOW.minusSeconds(1000), NOW.plusSeconds(100_000), true, false));
    String doc = RunRecord.inputs(in, List.of());
    assertTrue(doc.length() < 1000, "a note, not the input");
    assertTrue(doc.contains("\"new_in_odoo\":1") && doc.contains("over the journal's limit"), doc);
    Replay.Result r = Replay.of(3, doc, planOf(in));
    assertFalse(r.replayable());
    assertTrue(r.whyNot().contains("cannot be replayed"), r.whyNot());
    StringBuilder why = new StringBuilder();
    assertTrue(RunRecord.read("{\"window_start\": \"2026-01-01T00:00:00Z\"}", why).isEmpty());
    assertTrue(why.toString().contains("recorded no input"), why.toString());
  }
  @Test
  void aPlanTooBigForTheJournalKeepsItsFirstActionsAndCountsTheRest() throws Exception {
    List<Action> many = new ArrayList<>();
    String reason = "r".repeat(400);
    for (int i = 0; i < 6000; i++) {
      many.add(new Action.Skip("skip-" + i, "odoo:" + i, reason));
    }
    RunRecord.PlanRecorder r = new RunRecord.PlanRecorder();
    r.add(new Plan(many.subList(0, 3000)));
    r.add(new Plan(many.subList(3000, 6000)));
    String doc = r.document(new Plan(List.of()).mail("alice@example.com"));
    assertTrue(doc.length() <= RunRecord.MAX_PLAN_CHARS + 200, "bounded: " + doc.length());
    var root = new ObjectMapper().readTree(doc);
    int kept = root.get("actions").size();
    assertTrue(kept > 1000 && kept < 6000, "the first actions, whole: " + kept);
    assertEquals("skip-0", root.get("actions").get(0).get("id").asText());
    assertEquals(6000 - kept, root.get("actions_not_recorded").asLong());
    Replay.Result replay = Replay.of(5, RunRecord.inputs(input("Kick-off"), notes()), doc);
    assertFalse(replay.replayable());
    assertTrue(replay.whyNot().contains("kept only the first " + kept + " of its 6000 actions"), replay.whyNot());
  }
}
