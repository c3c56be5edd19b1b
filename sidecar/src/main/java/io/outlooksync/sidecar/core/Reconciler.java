package io.outlooksync.sidecar.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decides what a run does: (saved state, Odoo changes, Outlook changes) → {@link Plan}. Pure: no I/O, no clock
 * (the time comes in {@link SyncOptions#now()}), no randomness; the same input always gives the same plan, with
 * the same action ids.
 */
public final class Reconciler {
  private Reconciler() {}

  public static Plan plan(SyncInput in) {
    List<Action> actions = new ArrayList<>();
    for (SyncInput.Pair p : in.pairs()) {
      pair(in, p, actions);
    }
    unmapped(in, actions, false);
    return new Plan(actions);
  }

  /**
   * Plans one page of a run that reads Odoo's changes a page at a time: the page's pairs, and its new Odoo events
   * matched against the new Outlook events no earlier page took ({@code newInOutlook}, in their first order). These
   * stay open for later pages: none is created in Odoo or adopted by iCalUId here (an iCalUId match only keeps its
   * Odoo event from being new); {@link #plan} of what is left does that at the end. Pages planned in order, then
   * the rest, decide the same actions as {@link #plan} of everything at once, since each Odoo event takes the first
   * look-alike still free either way.
   */
  public static Plan planPage(SyncInput page) {
    List<Action> actions = new ArrayList<>();
    for (SyncInput.Pair p : page.pairs()) {
      pair(page, p, actions);
    }
    unmapped(page, actions, true);
    return new Plan(actions);
  }

  private static void pair(SyncInput in, SyncInput.Pair p, List<Action> out) {
    Mapping m = p.mapping();
    SyncInput.OdooState o = p.odoo();
    SyncInput.OutlookState g = p.outlook();
    boolean odooGone = o == null || !o.active();
    boolean outlookGone = g == null || g.cancelled();

    if (odooGone && outlookGone) {
      if (o == null) {
        out.add(new Action.Forget(id("forget", m.id()), m.id(), "deleted in Odoo and gone from Outlook"));
      }
      return;
    }
    if (odooGone) {
      String why = o == null ? "deleted in Odoo" : "archived in Odoo";
      if (g.isOrganizer()) {
        out.add(new Action.DeleteInOutlook(id("delete-outlook", m.id(), g.graphId()), m.id(), g.graphId(), g.content(),
            why + "; the user organizes it in Outlook"));
      } else if (g.ownResponse() != Response.DECLINED) {
        out.add(new Action.DeclineInOutlook(id("decline", m.id(), g.graphId()), m.id(), g.graphId(),
            why + "; the user is only an attendee, so the meeting is declined, not deleted"));
      }
      return;
    }
    if (outlookGone) {
      if (p.odooWasArchived()) {
        // Unarchived in Odoo after its Outlook copy went away: it comes back to Outlook.
        out.add(new Action.CreateInOutlook(id("create-outlook", in.mailbox(), o.id(), m.id()), o.id(), o.content(),
            in.options().quiet(), "unarchived in Odoo; its Outlook copy is gone, so it is created again"));
      } else {
        out.add(new Action.ArchiveInOdoo(id("archive", m.id(), o.id()), m.id(), o.id(),
            g == null ? "deleted in Outlook; archived in Odoo, not destroyed" : "cancelled in Outlook; archived in Odoo"));
      }
      return;
    }
    CalEvent base = p.base() != null ? p.base() : g.content();
    Side readOnly = g.isOrganizer() ? null : Side.OUTLOOK;
    Merge.Result r = Merge.threeWay(base, o.content(), g.content(), o.writeDate(), g.lastModified(), readOnly);
    for (FieldConflict c : r.conflicts()) {
      out.add(new Action.Conflict(id("conflict", m.id(), c.field(), o.writeDate(), g.lastModified()), m.id(), c, c.reason()));
    }
    if (!r.toOdoo().isEmpty()) {
      out.add(new Action.UpdateOdoo(id("update-odoo", m.id(), r.toOdoo(), r.merged()), m.id(), o.id(), r.toOdoo(), r.merged(),
          "changed in Outlook: " + r.toOdoo()));
    }
    if (!r.toOutlook().isEmpty()) {
      out.add(new Action.UpdateOutlook(id("update-outlook", m.id(), r.toOutlook(), r.merged()), m.id(), g.graphId(), g.changeKey(),
          r.toOutlook(), r.merged(), g.isOrganizer(), "changed in Odoo: " + r.toOutlook()));
    }
    if (!g.isOrganizer()) {
      answer(in, p, o, g, out);
    }
  }

  /** The user's own answer on an attendee's copy: it moves from the side where it changed. */
  private static void answer(SyncInput in, SyncInput.Pair p, SyncInput.OdooState o, SyncInput.OutlookState g, List<Action> out) {
    Response was = p.base() == null ? null : p.base().responseOf(in.mailbox());
    Response inOdoo = o.content().responseOf(in.mailbox());
    Response inOutlook = g.ownResponse();
    if (inOdoo == null || inOutlook == null || inOdoo == inOutlook) {
      return;
    }
    Mapping m = p.mapping();
    if (inOdoo != was && inOutlook == was) {
      out.add(new Action.Answer(id("answer-outlook", m.id(), inOdoo), Side.OUTLOOK, m.id(), o.id(), g.graphId(), inOdoo,
          "the user answered " + inOdoo + " in Odoo"));
    } else {
      out.add(new Action.Answer(id("answer-odoo", m.id(), inOutlook), Side.ODOO, m.id(), o.id(), g.graphId(), inOutlook,
          "the user answered " + inOutlook + " in Outlook"));
    }
  }

  /**
   * New events on either side: link what is already one meeting (by iCalUId through another mailbox, else by
   * title, start, end and organizer), create the rest where this mailbox owns it, say why anything is skipped.
   */
  private static void unmapped(SyncInput in, List<Action> out, boolean outlookStaysOpen) {
    SyncOptions opt = in.options();
    Map<Long, SyncInput.OdooState> odooLeft = new LinkedHashMap<>();
    for (SyncInput.OdooState o : in.newInOdoo()) {
      if (o.active()) {
        odooLeft.put(o.id(), o);
      }
    }
    // The iCalUId is the meeting's identity across mailboxes: it wins over any look-alike.
    Map<String, ArrayDeque<SyncInput.OutlookState>> outlookByKey = new LinkedHashMap<>();
    Set<SyncInput.OutlookState> outlookLeft = new LinkedHashSet<>();
    for (SyncInput.OutlookState g : in.newInOutlook()) {
      if (g.cancelled()) {
        continue;
      }
      Long known = g.iCalUId() == null ? null : in.meetingsInOdoo().get(g.iCalUId());
      if (known != null && inWindow(g.content(), opt)) {
        odooLeft.remove(known);
        if (outlookStaysOpen) {
          continue;
        }
        out.add(new Action.Adopt(id("adopt", in.mailbox(), known, g.graphId()), known, g.graphId(), g.iCalUId(),
            "this meeting is already in Odoo (same iCalUId through another mailbox): one Odoo event per meeting"));
        continue;
      }
      outlookByKey.computeIfAbsent(matchKey(g.content()), k -> new ArrayDeque<>()).add(g);
      outlookLeft.add(g);
    }
    for (SyncInput.OdooState o : odooLeft.values()) {
      CalEvent c = o.content();
      if (!inWindow(c, opt)) {
        out.add(new Action.Skip(id("skip-window", o.id()), "odoo:" + o.id(), "outside the sync window"));
        continue;
      }
      ArrayDeque<SyncInput.OutlookState> twins = outlookByKey.get(matchKey(c));
      SyncInput.OutlookState twin = twins == null ? null : twins.poll();
      if (twin != null) {
        outlookLeft.remove(twin);
        out.add(new Action.Adopt(id("adopt", in.mailbox(), o.id(), twin.graphId()), o.id(), twin.graphId(), twin.iCalUId(),
            "the same event (title, start, end, organizer) exists in Outlook: linked, not duplicated"));
        continue;
      }
      if (!organizedBy(c, in.mailbox())) {
        out.add(new Action.Skip(id("skip-attendee", o.id()), "odoo:" + o.id(),
            "the user is only an attendee; the meeting reaches Outlook as its organizer's invitation"));
        continue;
      }
      if (opt.onlyFutureEvents() && !c.when().endInstant().isAfter(opt.now())) {
        out.add(new Action.Skip(id("skip-past", o.id()), "odoo:" + o.id(), "already over; only future events are pushed"));
        continue;
      }
      out.add(new Action.CreateInOutlook(id("create-outlook", in.mailbox(), o.id()), o.id(), c, opt.quiet(),
          opt.quiet() && c.isMeeting() ? "new in Odoo; written without attendees (quiet mode)" : "new in Odoo"));
    }
    for (SyncInput.OutlookState g : outlookLeft) {
      if (outlookStaysOpen || !inWindow(g.content(), opt)) {
        continue;
      }
      out.add(new Action.CreateInOdoo(createInOdooId(in.mailbox(), g.graphId()), g.graphId(), g.iCalUId(), g.content(),
          "new in Outlook"));
    }
  }

  /** Whether the mailbox organizes the event (an event without a known organizer is its own user's). */
  public static boolean organizedBy(CalEvent e, String mailbox) {
    return e.organizer() == null || !e.organizer().hasEmail() || e.organizer().email().equalsIgnoreCase(mailbox);
  }

  /** What identifies an event when no id links the two sides: title, start, end and organizer. */
  public static String matchKey(CalEvent e) {
    String organizer = e.organizer() == null || !e.organizer().hasEmail() ? "" : e.organizer().key();
    return e.title().strip() + "|" + e.when().startInstant() + "|" + e.when().endInstant() + "|" + organizer;
  }

  private static boolean inWindow(CalEvent e, SyncOptions opt) {
    return e.when().endInstant().isAfter(opt.windowStart()) && e.when().startInstant().isBefore(opt.windowEnd());
  }

  /**
   * The id of the action that copies Outlook event {@code graphId} of {@code mailbox} into Odoo. It depends on
   * nothing else, so the Odoo event keeps it as its create key (docs/sync.md, "Crash safety").
   */
  public static String createInOdooId(String mailbox, String graphId) {
    return id("create-odoo", mailbox, graphId);
  }

  /** A short stable id: a readable prefix and a hash of what the decision depends on. */
  public static String id(String kind, Object... parts) {
    StringBuilder sb = new StringBuilder();
    for (Object p : parts) {
      sb.append(Objects.toString(p)).append('\u001f');
    }
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
      return kind + "-" + HexFormat.of().formatHex(h, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
