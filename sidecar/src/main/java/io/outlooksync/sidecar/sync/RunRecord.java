package io.outlooksync.sidecar.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outlooksync.sidecar.core.Action;
import io.outlooksync.sidecar.core.MailForecast;
import io.outlooksync.sidecar.core.Mapping;
import io.outlooksync.sidecar.core.Plan;
import io.outlooksync.sidecar.core.Response;
import io.outlooksync.sidecar.core.SyncInput;
import io.outlooksync.sidecar.core.SyncOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The journal's documents for one run: its inputs (the {@link SyncInput} the reconciler saw, with the notes the
 * gathering added) and its plan (each action's kind, id, reason and the ids it touches). The inputs are what
 * {@link Replay} plans again. Written field by field, events as {@link Snapshots} writes them.
 *
 * <p>Inputs over {@link #MAX_INPUT_CHARS} are not kept: the run goes on and the document says how big they
 * were, so such a run cannot be replayed.
 */
public final class RunRecord {
  /** Bumped when the inputs document changes incompatibly; a replay refuses other formats. */
  static final int FORMAT = 1;
  /*
   * The caps keep a journal row inside the embedded store's row cache (Database.CACHE_KB), which holds a row whole,
   * twice while an update replaces it, at up to three bytes a character (HsqldbStoreTest). Inputs of a few
   * thousand events, a run over a 720-event series, are kept; a first sync of tens of thousands of events goes
   * over them and is journaled by its counts.
   */
  public static final int MAX_INPUT_CHARS = 4_000_000;
  public static final int MAX_PLAN_CHARS = 1_500_000;
  /** Failures listed in a run's outcome; the rest are counted. */
  static final int MAX_OUTCOME_ERRORS = 200;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A decoded run input: what the reconciler saw, and the notes gathering put before its plan. */
  public record Inputs(SyncInput input, List<Action.Skip> notes) {}

  private RunRecord() {}

  /** The inputs document: the run's window, then the whole input, or a note that it was too big to keep. */
  public static String inputs(SyncInput in, List<Action> notes) {
    return new Recorder(in.mailbox(), in.options(), in.newInOutlook()::forEach, in.meetingsInOdoo()).add(in.pairs(), in.newInOdoo(), notes)
        .document();
  }

  /**
   * The inputs document of a run planned in parts (Odoo's pages, then the rest), written as the parts come: their
   * union, which {@link Replay} plans at once to the same actions. Held as text only up to {@link #MAX_INPUT_CHARS};
   * beyond, only its size and counts are kept, so a big run's memory does not grow with its journal.
   */
  public static final class Recorder {
    private final String mailbox;
    private final SyncOptions options;
    private final Items pairs = new Items();
    private final Items newInOdoo = new Items();
    private final Items newInOutlook = new Items();
    private final Items notes = new Items();
    private final String meetings;
    private long chars;

    /** {@code newInOutlook} goes through the run's new Outlook events, in order (a backlog read from disk, say). */
    public Recorder(String mailbox, SyncOptions options, Consumer<Consumer<SyncInput.OutlookState>> newInOutlook,
                    Map<String, Long> meetingsInOdoo) {
      this.mailbox = mailbox;
      this.options = options;
      ObjectNode m = JSON.createObjectNode();
      meetingsInOdoo.forEach(m::put);
      this.meetings = write(m);
      chars = meetings.length();
      newInOutlook.accept(s -> {
        if (this.newInOutlook.text != null) {
          keep(this.newInOutlook, outlook(s));
        } else {
          this.newInOutlook.count++;
        }
      });
    }

    /** One part: its pairs, its new Odoo events and the notes gathering put before its plan. */
    public Recorder add(List<SyncInput.Pair> partPairs, List<SyncInput.OdooState> partNewInOdoo, List<Action> partNotes) {
      for (SyncInput.Pair p : partPairs) {
        ObjectNode n = JSON.createObjectNode();
        n.set("mapping", mapping(p.mapping()));
        n.set("base", p.base() == null ? null : Snapshots.node(p.base()));
        n.put("odoo_was_archived", p.odooWasArchived());
        n.set("odoo", p.odoo() == null ? null : odoo(p.odoo()));
        n.set("outlook", p.outlook() == null ? null : outlook(p.outlook()));
        keep(pairs, n);
      }
      partNewInOdoo.forEach(s -> keep(newInOdoo, odoo(s)));
      for (Action a : partNotes) {
        if (a instanceof Action.Skip s) {
          keep(notes, JSON.createObjectNode().put("id", s.id()).put("subject", s.subject()).put("reason", s.reason()));
        }
      }
      return this;
    }

    private void keep(Items items, JsonNode n) {
      String text = write(n);
      items.count++;
      chars += text.length() + 1;
      if (chars > MAX_INPUT_CHARS) {
        pairs.drop();
        newInOdoo.drop();
        newInOutlook.drop();
        notes.drop();
      } else {
        items.add(text);
      }
    }

    /** The document: every part's input, or a note of its size when that was over the limit. */
    public String document() {
      ObjectNode head = window(options);
      head.put("format", FORMAT);
      head.put("mailbox", mailbox);
      head.putObject("options").put("now", options.now().toString()).put("only_future_events", options.onlyFutureEvents())
          .put("quiet", options.quiet());
      String headText = write(head);
      long total = chars + headText.length() + 80;
      if (total > MAX_INPUT_CHARS) {
        ObjectNode tooBig = window(options);
        tooBig.put("format", FORMAT);
        tooBig.put("mailbox", mailbox);
        tooBig.put("not_recorded", "the input was " + total + " characters, over the journal's limit of " + MAX_INPUT_CHARS
            + "; this run cannot be replayed");
        tooBig.put("pairs", pairs.count);
        tooBig.put("new_in_odoo", newInOdoo.count);
        tooBig.put("new_in_outlook", newInOutlook.count);
        return write(tooBig);
      }
      return headText.substring(0, headText.length() - 1) + ",\"pairs\":[" + pairs.text + "],\"new_in_odoo\":[" + newInOdoo.text
          + "],\"new_in_outlook\":[" + newInOutlook.text + "],\"meetings_in_odoo\":" + meetings + ",\"notes\":[" + notes.text + "]}";
    }

    /** One list of the document as JSON text, comma-separated; dropped (counted only) once the input is too big. */
    private static final class Items {
      StringBuilder text = new StringBuilder();
      int count;

      void add(String item) {
        if (text != null) {
          if (!text.isEmpty()) {
            text.append(',');
          }
          text.append(item);
        }
      }

      void drop() {
        text = null;
      }
    }
  }

  private static ObjectNode window(SyncOptions options) {
    return JSON.createObjectNode().put("window_start", options.windowStart().toString()).put("window_end", options.windowEnd().toString());
  }

  /**
   * The recorded input, or empty with the reason it cannot be replayed (a run that failed before planning, one
   * recorded before inputs were kept, one too big).
   */
  public static Optional<Inputs> read(String json, StringBuilder whyNot) {
    JsonNode root;
    try {
      root = json == null ? null : JSON.readTree(json);
    } catch (JsonProcessingException e) {
      whyNot.append("the recorded inputs are not JSON");
      return Optional.empty();
    }
    if (root == null || !root.has("format")) {
      whyNot.append("the run recorded no input (it stopped before planning, or predates recorded inputs)");
      return Optional.empty();
    }
    if (root.has("not_recorded")) {
      whyNot.append(root.get("not_recorded").asText());
      return Optional.empty();
    }
    if (root.get("format").asInt() != FORMAT) {
      whyNot.append("the inputs are in format " + root.get("format").asInt() + "; this version reads format " + FORMAT);
      return Optional.empty();
    }
    JsonNode o = root.path("options");
    SyncOptions options = new SyncOptions(instant(o, "now"), instant(root, "window_start"), instant(root, "window_end"),
        o.path("only_future_events").asBoolean(), o.path("quiet").asBoolean());
    List<SyncInput.Pair> pairs = new ArrayList<>();
    for (JsonNode p : root.path("pairs")) {
      pairs.add(new SyncInput.Pair(mapping(p.get("mapping")), Snapshots.read(p.get("base")), p.path("odoo_was_archived").asBoolean(),
          odoo(p.get("odoo")), outlook(p.get("outlook"))));
    }
    List<SyncInput.OdooState> newInOdoo = new ArrayList<>();
    root.path("new_in_odoo").forEach(n -> newInOdoo.add(odoo(n)));
    List<SyncInput.OutlookState> newInOutlook = new ArrayList<>();
    root.path("new_in_outlook").forEach(n -> newInOutlook.add(outlook(n)));
    Map<String, Long> meetings = new LinkedHashMap<>();
    root.path("meetings_in_odoo").fields().forEachRemaining(e -> meetings.put(e.getKey(), e.getValue().asLong()));
    List<Action.Skip> notes = new ArrayList<>();
    root.path("notes").forEach(n -> notes.add(new Action.Skip(text(n, "id"), text(n, "subject"), text(n, "reason"))));
    return Optional.of(new Inputs(new SyncInput(text(root, "mailbox"), pairs, newInOdoo, newInOutlook, meetings, options), notes));
  }

  /** The outcome document: actions per kind and the failures, the first {@link #MAX_OUTCOME_ERRORS} of them by name. */
  static String outcome(Map<String, Integer> counts, List<String> errors) {
    ObjectNode outcome = JSON.createObjectNode();
    outcome.set("counts", JSON.valueToTree(counts));
    outcome.set("errors", JSON.valueToTree(errors.subList(0, Math.min(errors.size(), MAX_OUTCOME_ERRORS))));
    if (errors.size() > MAX_OUTCOME_ERRORS) {
      outcome.put("errors_not_recorded", errors.size() - MAX_OUTCOME_ERRORS);
    }
    return write(outcome);
  }

  /** The plan document: each action with the ids it touches, and the e-mail forecast. */
  public static String plan(Plan plan, MailForecast forecast) {
    PlanRecorder r = new PlanRecorder();
    r.add(plan);
    return r.document(forecast);
  }

  /**
   * The plan document of a run planned in parts, written as they come. Its actions are kept as text up to
   * {@link #MAX_PLAN_CHARS}; beyond, only counted ({@code actions_not_recorded}), so a first sync of any size keeps
   * its journal, and its memory, bounded.
   */
  public static final class PlanRecorder {
    private final StringBuilder actions = new StringBuilder();
    private long notRecorded;

    public void add(Plan part) {
      for (Action a : part.actions()) {
        if (notRecorded > 0) {
          notRecorded++;
          continue;
        }
        ObjectNode n = JSON.createObjectNode().put("kind", SyncRunner.kind(a)).put("id", a.id()).put("reason", a.reason());
        refs(a, n);
        String text = write(n);
        if (actions.length() + text.length() + 1 > MAX_PLAN_CHARS) {
          notRecorded++;
          continue;
        }
        if (!actions.isEmpty()) {
          actions.append(',');
        }
        actions.append(text);
      }
    }

    public String document(MailForecast forecast) {
      ObjectNode mail = JSON.createObjectNode();
      mail.put("count", forecast.total());
      ArrayNode to = mail.putArray("recipients");
      forecast.recipients().forEach(to::add);
      return "{\"actions\":[" + actions + "]" + (notRecorded > 0 ? ",\"actions_not_recorded\":" + notRecorded : "")
          + ",\"mail\":" + write(mail) + "}";
    }
  }

  /** The mapping, Odoo event and Outlook event an action is about, as far as it names them. */
  static void refs(Action a, ObjectNode n) {
    Long mapping = null;
    Long odooId = null;
    String graphId = null;
    if (a instanceof Action.CreateInOutlook c) {
      odooId = c.odooEventId();
    } else if (a instanceof Action.CreateInOdoo c) {
      graphId = c.graphId();
    } else if (a instanceof Action.UpdateOutlook u) {
      mapping = u.mappingId();
      graphId = u.graphId();
    } else if (a instanceof Action.UpdateOdoo u) {
      mapping = u.mappingId();
      odooId = u.odooEventId();
    } else if (a instanceof Action.DeleteInOutlook d) {
      mapping = d.mappingId();
      graphId = d.graphId();
    } else if (a instanceof Action.DeclineInOutlook d) {
      mapping = d.mappingId();
      graphId = d.graphId();
    } else if (a instanceof Action.ArchiveInOdoo ar) {
      mapping = ar.mappingId();
      odooId = ar.odooEventId();
    } else if (a instanceof Action.Adopt ad) {
      odooId = ad.odooEventId();
      graphId = ad.graphId();
    } else if (a instanceof Action.Answer an) {
      mapping = an.mappingId();
      odooId = an.odooEventId();
      graphId = an.graphId();
    } else if (a instanceof Action.Forget f) {
      mapping = f.mappingId();
    } else if (a instanceof Action.Skip s) {
      n.put("subject", s.subject());
    } else if (a instanceof Action.Conflict c) {
      mapping = c.mappingId();
      n.put("field", c.conflict().field().name()).put("winner", c.conflict().winner().name());
    } else {
      seriesRefs(a, n);
    }
    if (mapping != null) {
      n.put("mapping", mapping);
    }
    if (odooId != null) {
      n.put("odoo_event_id", odooId);
    }
    if (graphId != null) {
      n.put("graph_id", graphId);
    }
  }

  /** The series, Odoo recurrence or event and Outlook master or instance a series action is about. */
  private static void seriesRefs(Action a, ObjectNode n) {
    if (a instanceof Action.CreateSeriesInOutlook c) {
      n.put("odoo_recurrence_id", c.odooRecurrenceId());
    } else if (a instanceof Action.CreateSeriesInOdoo c) {
      n.put("graph_id", c.graphMasterId());
    } else if (a instanceof Action.UpdateSeriesInOutlook u) {
      n.put("series", u.seriesId()).put("graph_id", u.graphMasterId());
    } else if (a instanceof Action.UpdateSeriesInOdoo u) {
      n.put("series", u.seriesId()).put("odoo_event_id", u.baseEventId());
    } else if (a instanceof Action.DeleteSeriesInOutlook d) {
      n.put("series", d.seriesId()).put("graph_id", d.graphMasterId());
    } else if (a instanceof Action.ArchiveOccurrencesInOdoo ar) {
      n.put("series", ar.seriesId());
      ArrayNode ids = n.putArray("odoo_event_ids");
      ar.odooEventIds().forEach(ids::add);
    } else if (a instanceof Action.CancelOccurrenceInOutlook c) {
      n.put("series", c.seriesId()).put("graph_id", c.graphId());
    } else if (a instanceof Action.DetachOccurrenceInOutlook d) {
      n.put("mapping", d.mappingId()).put("graph_id", d.graphId());
    } else if (a instanceof Action.LinkOccurrence l) {
      n.put("series", l.seriesId()).put("odoo_event_id", l.odooEventId()).put("graph_id", l.graphId());
    } else if (a instanceof Action.AdoptSeries ad) {
      n.put("odoo_recurrence_id", ad.odooRecurrenceId()).put("graph_id", ad.graphMasterId());
    } else if (a instanceof Action.ContinueSeriesInOdoo c) {
      n.put("series", c.seriesId()).put("odoo_event_id", c.lastEventId());
    } else if (a instanceof Action.ForgetSeries f) {
      n.put("series", f.seriesId());
    } else if (a instanceof Action.AnswerSeriesInOutlook ans) {
      n.put("series", ans.seriesId()).put("graph_id", ans.graphMasterId()).put("response", ans.response().name());
    }
  }

  private static ObjectNode mapping(Mapping m) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", m.id()).put("account_id", m.accountId()).put("odoo_event_id", m.odooEventId()).put("graph_id", m.graphId())
        .put("ical_uid", m.iCalUId()).put("change_key", m.changeKey()).put("series_graph_id", m.seriesGraphId())
        .put("odoo_recurrence_id", m.odooRecurrenceId()).put("odoo_synced", m.odooSynced()).put("graph_synced", m.graphSynced())
        .put("odoo_hash", m.odooHash()).put("graph_hash", m.graphHash());
    return n;
  }

  private static Mapping mapping(JsonNode n) {
    return new Mapping(n.path("id").asLong(), n.path("account_id").asLong(), number(n, "odoo_event_id"), text(n, "graph_id"),
        text(n, "ical_uid"), text(n, "change_key"), text(n, "series_graph_id"), number(n, "odoo_recurrence_id"),
        text(n, "odoo_synced"), text(n, "graph_synced"), text(n, "odoo_hash"), text(n, "graph_hash"));
  }

  private static ObjectNode odoo(SyncInput.OdooState s) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", s.id()).put("active", s.active()).put("write_date", s.writeDate() == null ? null : s.writeDate().toString());
    n.set("content", Snapshots.node(s.content()));
    return n;
  }

  private static SyncInput.OdooState odoo(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    return new SyncInput.OdooState(n.path("id").asLong(), Snapshots.read(n.get("content")), n.path("active").asBoolean(), instant(n, "write_date"));
  }

  static ObjectNode outlook(SyncInput.OutlookState s) {
    ObjectNode n = JSON.createObjectNode();
    n.put("graph_id", s.graphId()).put("ical_uid", s.iCalUId()).put("change_key", s.changeKey()).put("is_organizer", s.isOrganizer())
        .put("cancelled", s.cancelled()).put("own_response", s.ownResponse() == null ? null : s.ownResponse().name())
        .put("last_modified", s.lastModified() == null ? null : s.lastModified().toString());
    n.set("content", Snapshots.node(s.content()));
    return n;
  }

  static SyncInput.OutlookState outlook(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    String response = text(n, "own_response");
    return new SyncInput.OutlookState(text(n, "graph_id"), text(n, "ical_uid"), text(n, "change_key"), Snapshots.read(n.get("content")),
        n.path("is_organizer").asBoolean(), n.path("cancelled").asBoolean(), response == null ? null : Response.valueOf(response),
        instant(n, "last_modified"));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Long number(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asLong();
  }

  private static Instant instant(JsonNode n, String field) {
    String v = text(n, field);
    return v == null ? null : Instant.parse(v);
  }

  private static String write(JsonNode n) {
    try {
      return JSON.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
