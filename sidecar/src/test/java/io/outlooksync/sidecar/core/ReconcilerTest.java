package io.outlooksync.sidecar.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The reconciler's decisions, on neutral data: no server, no database, no clock. */
class ReconcilerTest {
  static final String ALICE = "alice@example.com";
  static final ZoneId ZONE = ZoneId.of("Europe/Brussels");
  static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
  static final SyncOptions OPTIONS = new SyncOptions(NOW, NOW.minusSeconds(365L * 86400), NOW.plusSeconds(730L * 86400), false, false);

  static CalEvent event(String title, Instant start, String organizer, String... attendees) {
    List<Attendee> list = new ArrayList<>();
    for (String a : attendees) {
      list.add(new Attendee(new Person(null, a), false, Response.NONE));
    }
    return new CalEvent(title, When.timed(start, start.plusSeconds(3600), ZONE), null, null, null, null, null, List.of(),
        new Person(null, organizer), list);
  }

  static SyncInput.OdooState odoo(long id, CalEvent c) {
    return new SyncInput.OdooState(id, c, true, NOW.minusSeconds(60));
  }

  static SyncInput.OutlookState outlook(String id, CalEvent c, boolean organizer) {
    return new SyncInput.OutlookState(id, "ICAL-" + id, "ck-" + id, c, organizer, false, organizer ? null : Response.NONE, NOW.minusSeconds(30));
  }

  static SyncInput input(List<SyncInput.Pair> pairs, List<SyncInput.OdooState> odoo, List<SyncInput.OutlookState> outlook) {
    return new SyncInput(ALICE, pairs, odoo, outlook, Map.of(), OPTIONS);
  }

  static Mapping mapping(long id, long odooId, String graphId) {
    return new Mapping(id, 1, odooId, graphId, "ICAL-" + graphId, "ck", null, null, null, null, null, null);
  }

  @Test
  void firstSyncAdoptsFiftyMeetingsOnBothSidesAndMailsNobody() {
    List<SyncInput.OdooState> inOdoo = new ArrayList<>();
    List<SyncInput.OutlookState> inOutlook = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Instant start = NOW.plusSeconds(86400L * (i + 1));
      inOdoo.add(odoo(100 + i, event("Meeting " + i, start, ALICE, "bob@example.com", "carol@partner.example")));
      inOutlook.add(outlook("g" + i, event("Meeting " + i, start, "Alice@Example.com", "bob@example.com", "carol@partner.example"), true));
    }
    Plan plan = Reconciler.plan(input(List.of(), inOdoo, inOutlook));
    assertEquals(50, plan.of(Action.Adopt.class).size());
    assertEquals(0, plan.of(Action.CreateInOutlook.class).size());
    assertEquals(0, plan.of(Action.CreateInOdoo.class).size());
    assertEquals(0, plan.mail(ALICE).total());
  }

  @Test
  void newEventsAreCreatedAndTheForecastCountsTheInvitations() {
    CalEvent meeting = event("Kick-off", NOW.plusSeconds(86400), ALICE, "bob@example.com", "carol@partner.example", ALICE);
    Plan plan = Reconciler.plan(input(List.of(), List.of(odoo(1, meeting)), List.of(outlook("g1", event("Dentist", NOW.plusSeconds(7200), ALICE), true))));
    assertEquals(1, plan.of(Action.CreateInOutlook.class).size());
    assertEquals(1, plan.of(Action.CreateInOdoo.class).size());
    MailForecast mail = plan.mail(ALICE);
    assertEquals(2, mail.count(MailForecast.Kind.INVITATION), "the organizer invites nobody but the others");
    assertEquals(Set.of("bob@example.com", "carol@partner.example"), mail.recipients());
  }

  @Test
  void quietModeAndOnlyFutureEventsKeepHistoryFromMailingAnyone() {
    CalEvent past = event("Old meeting", NOW.minusSeconds(86400 * 10), ALICE, "bob@example.com");
    CalEvent future = event("Next meeting", NOW.plusSeconds(86400), ALICE, "bob@example.com");
    SyncOptions quietFuture = new SyncOptions(NOW, OPTIONS.windowStart(), OPTIONS.windowEnd(), true, true);
    Plan plan = Reconciler.plan(new SyncInput(ALICE, List.of(), List.of(odoo(1, past), odoo(2, future)), List.of(), Map.of(), quietFuture));
    assertEquals(1, plan.of(Action.Skip.class).size());
    Action.CreateInOutlook create = plan.of(Action.CreateInOutlook.class).get(0);
    assertTrue(create.quiet());
    assertEquals(0, plan.mail(ALICE).total());
  }

  @Test
  void aMeetingAlreadyInOdooThroughAnotherMailboxIsLinkedNotDuplicated() {
    SyncInput.OutlookState copy = outlook("bob-copy", event("Review", NOW.plusSeconds(3600), "carol@example.com", ALICE), false);
    SyncInput in = new SyncInput(ALICE, List.of(), List.of(), List.of(copy), Map.of("ICAL-bob-copy", 77L), OPTIONS);
    Action.Adopt adopt = Reconciler.plan(in).of(Action.Adopt.class).get(0);
    assertEquals(77L, adopt.odooEventId());
  }

  @Test
  void theICalUIdLinkWinsOverALookAlikeAndTheOdooMeetingIsNotPushedAgain() {
    CalEvent inOdoo = event("Quarterly review", NOW.plusSeconds(7200), "carol@example.com", ALICE);
    CalEvent aliceCopy = event("Quarterly review (moved room)", NOW.plusSeconds(7200), "carol@example.com", ALICE);
    SyncInput in = new SyncInput(ALICE, List.of(), List.of(odoo(77, inOdoo)), List.of(outlook("alice-copy", aliceCopy, false)),
        Map.of("ICAL-alice-copy", 77L), OPTIONS);
    Plan plan = Reconciler.plan(in);
    assertEquals(1, plan.of(Action.Adopt.class).size(), plan.describe());
    assertEquals(77L, plan.of(Action.Adopt.class).get(0).odooEventId());
    assertEquals(0, plan.of(Action.CreateInOutlook.class).size());
    assertEquals(0, plan.of(Action.CreateInOdoo.class).size());
    assertEquals(0, plan.mail(ALICE).total());
  }

  @Test
  void anOdooMeetingTheUserOnlyAttendsIsNotPushedToTheirOutlook() {
    CalEvent invited = event("Carol's kick-off", NOW.plusSeconds(3600), "carol@example.com", ALICE, "dave@example.com");
    Plan plan = Reconciler.plan(input(List.of(), List.of(odoo(5, invited)), List.of()));
    assertEquals(0, plan.of(Action.CreateInOutlook.class).size(), plan.describe());
    assertEquals("odoo:5", plan.of(Action.Skip.class).get(0).subject());
    assertEquals(0, plan.mail(ALICE).total(), "nobody is invited by a copy the user does not organize");
  }

  @Test
  void twoLookAlikesInOutlookAndOneInOdooGiveOneLinkAndOneCreate() {
    CalEvent lunch = event("Lunch", NOW.plusSeconds(3600), ALICE);
    Plan plan = Reconciler.plan(input(List.of(), List.of(odoo(9, lunch)),
        List.of(outlook("l1", lunch, true), outlook("l2", lunch, true))));
    assertEquals(1, plan.of(Action.Adopt.class).size(), plan.describe());
    assertEquals(1, plan.of(Action.CreateInOdoo.class).size(), "the second look-alike is not lost");
  }

  /**
   * A run that plans Odoo's changes a page at a time (each page against the Outlook events still free, then the rest)
   * decides what one plan of everything decides: look-alikes on different pages are linked, a surplus look-alike is
   * created once, an iCalUId link wins on whichever page its Odoo event lands.
   */
  @Test
  void pagesPlannedInOrderThenTheRestDecideWhatOnePlanOfEverythingDecides() {
    CalEvent lunch = event("Lunch", NOW.plusSeconds(3600), ALICE);
    CalEvent review = event("Review", NOW.plusSeconds(7200), "carol@example.com", ALICE);
    CalEvent standup = event("Stand-up", NOW.plusSeconds(9000), ALICE);
    List<SyncInput.OutlookState> inOutlook = List.of(outlook("l1", lunch, true), outlook("l2", lunch, true), outlook("l3", lunch, true),
        outlook("rev", event("Review (room moved)", NOW.plusSeconds(7200), "carol@example.com", ALICE), false),
        outlook("solo", event("Dentist", NOW.plusSeconds(5000), ALICE), true));
    Map<String, Long> meetings = Map.of("ICAL-rev", 20L);
    List<SyncInput.OdooState> page1 = List.of(odoo(1, lunch), odoo(2, standup));
    List<SyncInput.OdooState> page2 = List.of(odoo(20, review), odoo(3, lunch), odoo(4, standup));
    List<SyncInput.OdooState> all = new ArrayList<>(page1);
    all.addAll(page2);
    Plan whole = Reconciler.plan(new SyncInput(ALICE, List.of(), all, inOutlook, meetings, OPTIONS));

    List<Action> paged = new ArrayList<>();
    List<SyncInput.OutlookState> open = new ArrayList<>(inOutlook);
    for (List<SyncInput.OdooState> page : List.of(page1, page2)) {
      Plan p = Reconciler.planPage(new SyncInput(ALICE, List.of(), page, open, meetings, OPTIONS));
      assertEquals(0, p.of(Action.CreateInOdoo.class).size(), "a page creates nothing in Odoo: a later page may still link it");
      p.of(Action.Adopt.class).forEach(a -> open.removeIf(g -> g.graphId().equals(a.graphId())));
      paged.addAll(p.actions());
    }
    paged.addAll(Reconciler.plan(new SyncInput(ALICE, List.of(), List.of(), open, meetings, OPTIONS)).actions());

    assertEquals(Set.copyOf(whole.actions()), Set.copyOf(paged), new Plan(paged).describe());
    assertEquals(whole.actions().size(), paged.size());
    Plan p = new Plan(paged);
    assertEquals(3, p.of(Action.Adopt.class).size(), p.describe());
    assertEquals(List.of("l3", "solo"), p.of(Action.CreateInOdoo.class).stream().map(Action.CreateInOdoo::graphId).sorted().toList());
    assertEquals(List.of(2L, 4L), p.of(Action.CreateInOutlook.class).stream().map(Action.CreateInOutlook::odooEventId).sorted().toList());
  }

  @Test
  void deletionsFollowOwnership() {
    CalEvent meeting = event("Sync", NOW.plusSeconds(3600), ALICE, "bob@example.com");
    SyncInput.Pair organized = new SyncInput.Pair(mapping(1, 10, "g1"), meeting, false, null, outlook("g1", meeting, true));
    SyncInput.Pair invited = new SyncInput.Pair(mapping(2, 11, "g2"), meeting, false,
        new SyncInput.OdooState(11, meeting, false, NOW), outlook("g2", meeting, false));
    SyncInput.Pair removedInOutlook = new SyncInput.Pair(mapping(3, 12, "g3"), meeting, false, odoo(12, meeting), null);
    Plan plan = Reconciler.plan(input(List.of(organized, invited, removedInOutlook), List.of(), List.of()));
    assertEquals(1, plan.of(Action.DeleteInOutlook.class).size());
    assertEquals(1, plan.of(Action.DeclineInOutlook.class).size());
    assertEquals(12, plan.of(Action.ArchiveInOdoo.class).get(0).odooEventId());
    assertEquals(1, plan.mail(ALICE).count(MailForecast.Kind.CANCELLATION));
  }

  @Test
  void unarchivingRecreatesTheOutlookCopy() {
    CalEvent e = event("Sync", NOW.plusSeconds(3600), ALICE);
    SyncInput.Pair p = new SyncInput.Pair(mapping(1, 10, "g1"), e, true, odoo(10, e), null);
    Action only = Reconciler.plan(input(List.of(p), List.of(), List.of())).actions().get(0);
    assertInstanceOf(Action.CreateInOutlook.class, only);
  }

  @Test
  void editsMergeFieldByFieldAndConflictsAreRecorded() {
    CalEvent base = event("Sync", NOW.plusSeconds(3600), ALICE);
    CalEvent inOdoo = event("Sync (Odoo)", NOW.plusSeconds(3600), ALICE);
    CalEvent inOutlook = event("Sync (Outlook)", NOW.plusSeconds(7200), ALICE);
    SyncInput.Pair p = new SyncInput.Pair(mapping(1, 10, "g1"), base, false, odoo(10, inOdoo), outlook("g1", inOutlook, true));
    Plan plan = Reconciler.plan(input(List.of(p), List.of(), List.of()));
    assertEquals(1, plan.of(Action.Conflict.class).size(), "title changed on both sides");
    Action.UpdateOdoo toOdoo = plan.of(Action.UpdateOdoo.class).get(0);
    assertTrue(toOdoo.fields().contains(Field.WHEN));
    assertEquals("Sync (Outlook)", toOdoo.target().title(), "Outlook was modified later");
  }

  @Test
  void anAnswerMovesFromWhereItChanged() {
    CalEvent base = event("Review", NOW.plusSeconds(3600), "carol@example.com", ALICE);
    List<Attendee> accepted = List.of(new Attendee(new Person(null, ALICE), false, Response.ACCEPTED));
    CalEvent answeredInOdoo = new CalEvent(base.title(), base.when(), null, null, null, null, null, List.of(), base.organizer(), accepted);
    SyncInput.Pair p = new SyncInput.Pair(mapping(1, 10, "g1"), base, false, odoo(10, answeredInOdoo), outlook("g1", base, false));
    Action.Answer a = Reconciler.plan(input(List.of(p), List.of(), List.of())).of(Action.Answer.class).get(0);
    assertEquals(Side.OUTLOOK, a.to());
    assertEquals(Response.ACCEPTED, a.response());
  }

  @Test
  void theSameInputGivesTheSameActionIds() {
    CalEvent e = event("Kick-off", NOW.plusSeconds(86400), ALICE, "bob@example.com");
    SyncInput in = input(List.of(), List.of(odoo(1, e)), List.of());
    assertEquals(Reconciler.plan(in).actions().get(0).id(), Reconciler.plan(in).actions().get(0).id());
  }
}
