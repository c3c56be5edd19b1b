package io.outlooksync.sidecar.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outlooksync.sidecar.core.Attendee;
import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.Person;
import io.outlooksync.sidecar.core.Privacy;
import io.outlooksync.sidecar.core.Response;
import io.outlooksync.sidecar.core.ShowAs;
import io.outlooksync.sidecar.core.When;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link CalEvent} as the JSON kept in a mapping's {@code odoo_synced}/{@code graph_synced}: the base of the next
 * three-way merge. Written field by field (no reflection), so renaming a Java field never silently breaks stored rows.
 */
public final class Snapshots {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Snapshots() {}

  public static String write(CalEvent e) {
    try {
      return JSON.writeValueAsString(node(e));
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException(ex);
    }
  }

  /** The snapshot as a JSON tree, for documents that embed events (the journal's run inputs). */
  static ObjectNode node(CalEvent e) {
    ObjectNode o = JSON.createObjectNode();
    o.put("title", e.title());
    When w = e.when();
    o.put("zone", w.zone().getId());
    if (w.allDay()) {
      o.put("start_date", w.startDate().toString());
      o.put("end_date", w.endDateExclusive().toString());
    } else {
      o.put("start", w.start().toString());
      o.put("end", w.end().toString());
    }
    o.put("description", e.descriptionHtml());
    o.put("location", e.location());
    o.put("video_url", e.videoUrl());
    o.put("privacy", e.privacy().name());
    o.put("show_as", e.showAs().name());
    ArrayNode reminders = o.putArray("reminders");
    e.reminderMinutes().forEach(reminders::add);
    if (e.organizer() != null) {
      o.set("organizer", person(e.organizer()));
    }
    ArrayNode attendees = o.putArray("attendees");
    for (Attendee a : e.attendees()) {
      ObjectNode n = person(a.person());
      n.put("optional", a.optional());
      n.put("response", a.response().name());
      attendees.add(n);
    }
    return o;
  }

  /**
   * The Odoo snapshot marked as seen archived (or not): an event unarchived after its Outlook copy went away then
   * comes back to Outlook instead of being archived again.
   */
  public static String withArchived(String json, boolean archived) {
    return withMark(json, "archived", archived);
  }

  /**
   * Whether an Odoo event reads now as its snapshot says it was synced: every field the same, and archived as then.
   * False when either is unknown.
   */
  public static boolean unchanged(String odooSynced, CalEvent now, boolean active) {
    CalEvent then = read(odooSynced);
    if (then == null || now == null || active == archived(odooSynced)) {
      return false;
    }
    for (io.outlooksync.sidecar.core.Field f : io.outlooksync.sidecar.core.Field.values()) {
      if (!f.same(then, now)) {
        return false;
      }
    }
    return true;
  }

  /** Whether the last run saw the Odoo side archived. */
  public static boolean archived(String json) {
    return marked(json, "archived");
  }

  /**
   * The Outlook snapshot marked as written in quiet mode (a time block without attendees): attendees and their
   * answers are then not synced for the pair, either way, so nobody is ever mailed about it.
   */
  public static String withQuiet(String json, boolean quiet) {
    return withMark(json, "quiet", quiet);
  }

  public static boolean quiet(String json) {
    return marked(json, "quiet");
  }

  private static String withMark(String json, String mark, boolean on) {
    try {
      ObjectNode o = (ObjectNode) JSON.readTree(json);
      if (on) {
        o.put(mark, true);
      } else {
        o.remove(mark);
      }
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException | ClassCastException ex) {
      throw new IllegalArgumentException("a stored snapshot is not a JSON object", ex);
    }
  }

  private static boolean marked(String json, String mark) {
    if (json == null || json.isBlank()) {
      return false;
    }
    try {
      return JSON.readTree(json).path(mark).asBoolean(false);
    } catch (JsonProcessingException ex) {
      throw new IllegalArgumentException("a stored snapshot is not JSON", ex);
    }
  }

  /** The event, or null for null/blank JSON (a side never synced). */
  public static CalEvent read(String json) {
    if (json == null || json.isBlank()) {
      return null;
    }
    JsonNode o;
    try {
      o = JSON.readTree(json);
    } catch (JsonProcessingException ex) {
      throw new IllegalArgumentException("a stored snapshot is not JSON", ex);
    }
    return read(o);
  }

  /** The event of a snapshot tree, or null for a JSON null. */
  static CalEvent read(JsonNode o) {
    if (o == null || o.isNull()) {
      return null;
    }
    ZoneId zone = ZoneId.of(o.path("zone").asText("UTC"));
    When when = o.hasNonNull("start_date")
        ? When.allDay(LocalDate.parse(o.get("start_date").asText()), LocalDate.parse(o.get("end_date").asText()), zone)
        : When.timed(Instant.parse(o.get("start").asText()), Instant.parse(o.get("end").asText()), zone);
    List<Integer> reminders = new ArrayList<>();
    o.path("reminders").forEach(n -> reminders.add(n.asInt()));
    List<Attendee> attendees = new ArrayList<>();
    for (JsonNode n : o.path("attendees")) {
      attendees.add(new Attendee(person(n), n.path("optional").asBoolean(), Response.valueOf(n.path("response").asText("NONE"))));
    }
    return new CalEvent(o.path("title").asText(""), when, text(o, "description"), text(o, "location"), text(o, "video_url"),
        Privacy.valueOf(o.path("privacy").asText("DEFAULT")), ShowAs.valueOf(o.path("show_as").asText("BUSY")), reminders,
        o.hasNonNull("organizer") ? person(o.get("organizer")) : null, attendees);
  }

  private static ObjectNode person(Person p) {
    ObjectNode n = JSON.createObjectNode();
    n.put("name", p.name());
    n.put("email", p.email());
    return n;
  }

  private static Person person(JsonNode n) {
    return new Person(text(n, "name"), text(n, "email"));
  }

  private static String text(JsonNode o, String field) {
    JsonNode v = o.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
