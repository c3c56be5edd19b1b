package io.outlooksync.sidecar.odoo;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the sync engine asks of Odoo, as calls of Odoo's model methods ({@code search_read}, {@code create},
 * {@code write}) made as the configured service user; how a call travels is the subclass's: XML-RPC
 * ({@link XmlRpcOdooGateway}) or JSON-2 ({@link JsonTwoOdooGateway}). Reads name their fields and go in batches of
 * ids; creates and writes are bulk calls. Thread-safe once authenticated.
 */
abstract class OrmOdooGateway implements OdooGateway {
  /** Ids per read call: large enough to be few calls, small enough to keep replies in the megabytes. */
  static final int READ_BATCH = 500;
  private static final String EVENT = "calendar.event";
  private static final String ATTENDEE = "calendar.attendee";
  private static final String PARTNER = "res.partner";
  private static final String USERS = "res.users";
  private static final List<String> USER_FIELDS = List.of("login", "name", "partner_id", "email", "tz");
  private static final List<String> ATTENDEE_FIELDS = List.of("event_id", "partner_id", "email", "state");
  private static final String ALARM = "calendar.alarm";
  private static final String RECURRENCE = "calendar.recurrence";
  /** Archived records too: Odoo's default search hides active=False, and archiving is a change to sync. */
  private static final List<Object> ACTIVE_OR_NOT = List.of("|", List.of("active", "=", true), List.of("active", "=", false));
  /**
   * Marks our own writes: the addon does not announce them back to the sidecar (which would only make it look
   * again at what it just wrote). Odoo applies a call's context to it; other modules ignore the key.
   */
  static final Map<String, Object> ORIGIN = Map.of("outlook_sync_origin", true);
  /**
   * For every event create and write, besides the origin: Odoo would otherwise mail attendees invitations and
   * "Date updated" notes for changes that come from Outlook, which has mailed them already. And Odoo 19 appends
   * "Organized by ..." contact details to a created event's description unless told to skip it: the text from
   * Outlook must stay as it is (17 and 18 ignore the key).
   */
  static final Map<String, Object> ORIGIN_NO_MAIL = Map.of("outlook_sync_origin", true, "no_mail_to_attendees", true,
      "skip_contact_description", true);

  /** Our addon's field on calendar.event: the create key of an event the sidecar made from an Outlook one. */
  static final String SOURCE = "outlook_sync_source";

  protected final OdooConfig config;
  /** Null until asked: whether calendar.event has {@link #SOURCE}. */
  private volatile Boolean sourceKeys;
  /** Null until asked: whether this is an Odoo before 18, which stores yearly rules as months. */
  private volatile Boolean yearsAsMonths;
  private volatile int uid;

  OrmOdooGateway(OdooConfig config) {
    this.config = config;
  }

  /** Checks the login and API key with Odoo; returns the uid. */
  protected abstract int login();

  /** Sends one model call as user {@code uid}; returns Odoo's reply in XML-RPC's value forms (see {@link OdooCall}). */
  protected abstract Object send(int uid, OdooCall call);

  @Override
  public final int authenticate() {
    int id = login();
    uid = id;
    return id;
  }

  @Override
  public OdooUser user(long id) {
    List<OdooUser> found = users(List.of(id));
    if (found.isEmpty()) {
      throw new OdooMissingException(USERS + ": no user " + id);
    }
    return found.get(0);
  }

  @Override
  public List<OdooUser> users(Collection<Long> ids) {
    List<OdooUser> users = new ArrayList<>();
    for (List<Integer> batch : batches(ids)) {
      List<Object> domain = new ArrayList<>(ACTIVE_OR_NOT);
      domain.add(List.of("id", "in", batch));
      for (Row row : searchRead(USERS, domain, USER_FIELDS, "id", null, batch)) {
        users.add(new OdooUser(row.id(), row.string("login"), row.string("name"), row.requiredMany2one("partner_id"),
            row.string("email"), row.string("tz")));
      }
    }
    return users;
  }

  /**
   * Odoo stores write_date with microseconds but sends and compares whole seconds as we give them, and several
   * records often share a second (one create of many, or one busy second). So the cursor is (second, id): a
   * page holds whole seconds ordered by write_date; a second with more records than a page is walked by id.
   * The watermark's own second is read again with {@code >=}: writes that landed in it after the last round
   * are found, and the records seen before come back once more for the caller to recognise by write_date.
   */
  @Override
  public Page<OdooEvent> eventsChangedSince(Instant watermark, long afterId, int pageSize) {
    return changedSince(ACTIVE_OR_NOT, watermark, afterId, pageSize);
  }

  @Override
  public Page<OdooEvent> eventsOfUserChangedSince(long partnerId, long userId, Instant watermark, long afterId, int pageSize) {
    List<Object> scope = new ArrayList<>(ACTIVE_OR_NOT);
    scope.addAll(List.of("|", List.of("partner_ids", "in", List.of(Wire.id(partnerId))), List.of("user_id", "=", Wire.id(userId))));
    return changedSince(scope, watermark, afterId, pageSize);
  }

  private Page<OdooEvent> changedSince(List<Object> scope, Instant watermark, long afterId, int pageSize) {
    if (pageSize < 1) {
      throw new IllegalArgumentException("pageSize " + pageSize);
    }
    Instant second = watermark.truncatedTo(ChronoUnit.SECONDS);
    List<Row> taken = new ArrayList<>();
    if (afterId > 0) {
      List<Row> rest = secondById(scope, second, afterId, pageSize + 1);
      if (rest.size() > pageSize) {
        List<Row> page = rest.subList(0, pageSize);
        return page(page, second, page.get(pageSize - 1).id(), true);
      }
      taken.addAll(rest);
      second = second.plusSeconds(1);
    }
    int room = pageSize - taken.size();
    if (room == 0) {
      return page(taken, second, 0, true);
    }
    List<Object> domain = new ArrayList<>(scope);
    domain.add(List.of("write_date", ">=", Wire.datetime(second)));
    List<Row> rows = searchRead(EVENT, domain, OdooEvent.FIELDS, "write_date, id", room + 1, List.of());
    if (rows.size() <= room) {
      taken.addAll(rows);
      Instant next = taken.isEmpty() ? watermark.truncatedTo(ChronoUnit.SECONDS) : writeDate(taken.get(taken.size() - 1));
      return page(taken, next, 0, false);
    }
    // More than fits: keep whole seconds only, so the next page can start at a second boundary.
    Instant firstLeft = writeDate(rows.get(room));
    List<Row> whole = rows.stream().filter(r -> writeDate(r).isBefore(firstLeft)).toList();
    taken.addAll(whole);
    if (!taken.isEmpty()) {
      return page(taken, firstLeft, 0, true);
    }
    // One second holds more than a page: walk it by id.
    List<Row> bySecond = secondById(scope, firstLeft, 0, room + 1);
    if (bySecond.size() > room) {
      List<Row> page = bySecond.subList(0, room);
      return page(page, firstLeft, page.get(room - 1).id(), true);
    }
    return page(bySecond, firstLeft.plusSeconds(1), 0, true);
  }

  /** The events written in {@code second} with an id above {@code afterId}, by id. */
  private List<Row> secondById(List<Object> scope, Instant second, long afterId, int limit) {
    List<Object> domain = new ArrayList<>(scope);
    domain.add(List.of("write_date", ">=", Wire.datetime(second)));
    domain.add(List.of("write_date", "<", Wire.datetime(second.plusSeconds(1))));
    if (afterId > 0) {
      domain.add(List.of("id", ">", Wire.id(afterId)));
    }
    return searchRead(EVENT, domain, OdooEvent.FIELDS, "id", limit, List.of());
  }

  private Instant writeDate(Row row) {
    Instant at = row.datetime("write_date");
    if (at == null) {
      throw new OdooProtocolException(EVENT + ".search_read record " + row.id() + ": field write_date is empty");
    }
    return at;
  }

  private static Page<OdooEvent> page(List<Row> rows, Instant nextWatermark, long nextAfterId, boolean hasMore) {
    List<OdooEvent> events = new ArrayList<>();
    Map<Long, OdooProtocolException> malformed = new LinkedHashMap<>();
    for (Row row : rows) {
      try {
        events.add(OdooEvent.of(row));
      } catch (OdooProtocolException e) {
        malformed.put(row.id(), e);
      }
    }
    return new Page<>(events, malformed, nextWatermark, nextAfterId, hasMore);
  }

  @Override
  public Found<OdooEvent> events(Collection<Long> ids) {
    List<OdooEvent> events = new ArrayList<>();
    Map<Long, OdooProtocolException> malformed = new LinkedHashMap<>();
    Set<Long> missing = new LinkedHashSet<>(ids);
    for (List<Integer> batch : batches(ids)) {
      List<Object> domain = new ArrayList<>(ACTIVE_OR_NOT);
      domain.add(List.of("id", "in", batch));
      for (Row row : searchRead(EVENT, domain, OdooEvent.FIELDS, "id", null, batch)) {
        missing.remove(row.id());
        try {
          events.add(OdooEvent.of(row));
        } catch (OdooProtocolException e) {
          malformed.put(row.id(), e);
        }
      }
    }
    return new Found<>(events, missing, malformed);
  }

  @Override
  public List<Long> createEvents(List<OdooEventDraft> drafts) {
    if (drafts.isEmpty()) {
      return List.of();
    }
    boolean keyed = drafts.stream().anyMatch(d -> d.source() != null) && sourceKeys();
    List<Map<String, Object>> vals = new ArrayList<>(drafts.size());
    for (OdooEventDraft draft : drafts) {
      Map<String, Object> v = draft.values();
      if (keyed && draft.source() != null) {
        v = new LinkedHashMap<>(v);
        v.put(SOURCE, draft.source());
      }
      vals.add(v);
    }
    return createAll(EVENT, vals, ORIGIN_NO_MAIL);
  }

  /** One fields_get for the one field; Odoo leaves out names the model does not have. */
  @Override
  public boolean sourceKeys() {
    Boolean known = sourceKeys;
    if (known == null) {
      Object reply = call(new OdooCall(EVENT, "fields_get", null, Map.of(),
          Map.of("allfields", List.of(SOURCE), "attributes", List.of("type")), Map.of(), List.of()));
      if (!(reply instanceof Map<?, ?> fields)) {
        throw new OdooProtocolException(EVENT + ".fields_get: the reply is " + Row.typeName(reply) + ", not a dict");
      }
      known = fields.get(SOURCE) instanceof Map<?, ?> field && "char".equals(field.get("type"));
      sourceKeys = known;
    }
    return known;
  }

  @Override
  public Map<String, Long> eventsBySource(Collection<String> keys) {
    Map<String, Long> found = new LinkedHashMap<>();
    if (keys.isEmpty() || !sourceKeys()) {
      return found;
    }
    Set<String> wanted = new LinkedHashSet<>(keys);
    List<String> all = List.copyOf(wanted);
    for (int from = 0; from < all.size(); from += READ_BATCH) {
      List<String> batch = all.subList(from, Math.min(all.size(), from + READ_BATCH));
      List<Object> domain = new ArrayList<>(ACTIVE_OR_NOT);
      domain.add(List.of(SOURCE, "in", batch));
      // Oldest first: were a key ever on two events, the first one made is the one kept.
      for (Row row : searchRead(EVENT, domain, List.of(SOURCE), "id", null, List.of())) {
        String key = row.string(SOURCE);
        if (key != null && wanted.contains(key)) {
          found.putIfAbsent(key, row.id());
        }
      }
    }
    return found;
  }

  private List<Long> createAll(String model, List<Map<String, Object>> vals, Map<String, Object> context) {
    Object reply = call(new OdooCall(model, "create", null, Map.of("vals_list", vals), Map.of(), context, List.of()));
    if (!(reply instanceof Object[] array) || array.length != vals.size()) {
      throw new OdooProtocolException(model + ".create: the reply is " + Row.typeName(reply) + ", not "
          + vals.size() + " ids; the records may exist, read them back before retrying");
    }
    List<Long> ids = new ArrayList<>(array.length);
    for (Object id : array) {
      if (!(id instanceof Integer i)) {
        throw new OdooProtocolException(model + ".create: an id is " + Row.typeName(id) + "; the records may exist");
      }
      ids.add(i.longValue());
    }
    return ids;
  }

  @Override
  public void writeEvents(Map<Long, EventChanges> changes) {
    Map<EventChanges, List<Long>> byChanges = new LinkedHashMap<>();
    changes.forEach((id, change) -> {
      if (!change.isEmpty()) {
        byChanges.computeIfAbsent(change, c -> new ArrayList<>()).add(id);
      }
    });
    byChanges.forEach((change, ids) -> write(EVENT, ids, change.values(), ORIGIN_NO_MAIL));
  }

  /**
   * Not {@code action_archive}: it returns None, which Odoo's XML-RPC layer cannot marshal, so the call faults
   * after its transaction committed. A plain write of active=False returns True.
   */
  @Override
  public void archiveEvents(Collection<Long> ids) {
    if (!ids.isEmpty()) {
      write(EVENT, List.copyOf(ids), Map.of("active", false), ORIGIN_NO_MAIL);
    }
  }

  private void write(String model, List<Long> ids, Map<String, Object> vals, Map<String, Object> context) {
    Object reply = call(new OdooCall(model, "write", Wire.ids(ids), Map.of("vals", vals), Map.of(), context, ids));
    if (!Boolean.TRUE.equals(reply)) {
      throw new OdooProtocolException(model + ".write ids " + ids + ": the reply is " + Row.typeName(reply) + ", not True");
    }
  }

  /**
   * One search_read for all addresses with {@code =ilike} (case-insensitive equality in SQL). {@code _} and
   * {@code %} stay wildcards there, so candidates are checked again here for exact equality.
   */
  @Override
  public Map<String, Long> partnersByEmail(Collection<String> emails, boolean createMissing) {
    Map<String, String> wanted = new LinkedHashMap<>(); // lower-cased key -> the address as first given
    for (String email : emails) {
      if (email != null && !email.isBlank()) {
        wanted.putIfAbsent(email.strip().toLowerCase(Locale.ROOT), email.strip());
      }
    }
    Map<String, Long> found = new LinkedHashMap<>();
    List<String> all = List.copyOf(wanted.keySet());
    for (int from = 0; from < all.size(); from += READ_BATCH) {
      List<String> batch = all.subList(from, Math.min(all.size(), from + READ_BATCH));
      List<Object> domain = new ArrayList<>();
      for (int i = 1; i < batch.size(); i++) {
        domain.add("|");
      }
      batch.forEach(email -> domain.add(List.of("email", "=ilike", email)));
      // Oldest first: when several partners share an address, the same one is chosen every time.
      for (Row row : searchRead(PARTNER, domain, List.of("email"), "id", null, List.of())) {
        String email = row.string("email");
        String key = email == null ? null : email.strip().toLowerCase(Locale.ROOT);
        if (key != null && wanted.containsKey(key)) {
          found.putIfAbsent(key, row.id());
        }
      }
    }
    if (createMissing) {
      List<String> missing = all.stream().filter(e -> !found.containsKey(e)).toList();
      if (!missing.isEmpty()) {
        List<Map<String, Object>> vals = missing.stream()
            .map(key -> Map.<String, Object>of("name", wanted.get(key), "email", wanted.get(key))).toList();
        List<Long> ids = createAll(PARTNER, vals, ORIGIN);
        for (int i = 0; i < missing.size(); i++) {
          found.put(missing.get(i), ids.get(i));
        }
      }
    }
    return found;
  }

  @Override
  public List<OdooAttendee> attendees(Collection<Long> eventIds) {
    List<OdooAttendee> attendees = new ArrayList<>();
    for (List<Integer> batch : batches(eventIds)) {
      for (Row row : searchRead(ATTENDEE, List.of(List.of("event_id", "in", batch)), ATTENDEE_FIELDS, "event_id, id",
          null, batch)) {
        String state = row.string("state");
        AttendeeState parsed = AttendeeState.fromOdoo(state);
        if (parsed == null) {
          throw new OdooProtocolException(ATTENDEE + ".search_read record " + row.id() + ": field state is not a known state");
        }
        attendees.add(new OdooAttendee(row.id(), row.requiredMany2one("event_id"), row.requiredMany2one("partner_id"),
            row.string("email"), parsed));
      }
    }
    return attendees;
  }

  @Override
  public Map<Long, OdooPartner> partners(Collection<Long> ids) {
    Map<Long, OdooPartner> out = new LinkedHashMap<>();
    for (List<Integer> batch : batches(ids)) {
      List<Object> domain = new ArrayList<>(ACTIVE_OR_NOT);
      domain.add(List.of("id", "in", batch));
      for (Row row : searchRead(PARTNER, domain, List.of("name", "email"), "id", null, batch)) {
        out.put(row.id(), new OdooPartner(row.id(), row.string("name"), row.string("email")));
      }
    }
    return out;
  }

  @Override
  public List<OdooAlarm> alarms() {
    List<OdooAlarm> out = new ArrayList<>();
    for (Row row : searchRead(ALARM, List.of(), List.of("alarm_type", "duration", "interval"), "id", null, List.of())) {
      out.add(new OdooAlarm(row.id(), row.string("alarm_type"), row.integer("duration"), row.string("interval")));
    }
    return out;
  }

  @Override
  public Map<Long, String> recurrenceZones(Collection<Long> recurrenceIds) {
    Map<Long, String> out = new LinkedHashMap<>();
    for (List<Integer> batch : batches(recurrenceIds)) {
      for (Row row : searchRead(RECURRENCE, List.of(List.of("id", "in", batch)), List.of("event_tz"), "id", null, batch)) {
        String tz = row.string("event_tz");
        if (tz != null) {
          out.put(row.id(), tz);
        }
      }
    }
    return out;
  }

  @Override
  public void setAttendeeStates(Map<Long, AttendeeState> states) {
    Map<AttendeeState, List<Long>> byState = new LinkedHashMap<>();
    states.forEach((id, state) -> byState.computeIfAbsent(state, s -> new ArrayList<>()).add(id));
    byState.forEach((state, ids) -> write(ATTENDEE, ids, Map.of("state", state.odooValue()), ORIGIN));
  }

  @Override
  public List<EventParties> eventParties(String model, Collection<Long> ids) {
    String field = switch (model) {
      case EVENT -> "id";
      case ATTENDEE -> "attendee_ids";
      case RECURRENCE -> "recurrence_id";
      default -> throw new IllegalArgumentException("not a calendar model: " + model);
    };
    List<EventParties> out = new ArrayList<>();
    for (List<Integer> batch : batches(ids)) {
      List<Object> domain = new ArrayList<>(ACTIVE_OR_NOT);
      domain.add(List.of(field, "in", batch));
      for (Row row : searchRead(EVENT, domain, List.of("user_id", "partner_ids"), "id", null, batch)) {
        out.add(new EventParties(row.id(), row.many2one("user_id"), row.ids("partner_ids")));
      }
    }
    return out;
  }

  @Override
  public java.time.DayOfWeek weekStart() {
    long uid = authenticate();
    List<Integer> me = List.of((int) uid);
    List<Row> users = searchRead(USERS, List.of(List.of("id", "in", me)), List.of("lang"), "id", null, List.of(uid));
    String lang = users.isEmpty() ? null : users.get(0).string("lang");
    if (lang == null) {
      return java.time.DayOfWeek.SUNDAY; // no language: Odoo's en_US default
    }
    List<Object> domain = new ArrayList<>(ACTIVE_OR_NOT);
    domain.add(List.of("code", "=", lang));
    List<Row> langs = searchRead("res.lang", domain, List.of("week_start"), "id", 1, List.of());
    if (langs.isEmpty()) {
      throw new OdooProtocolException("res.lang: no language " + lang + " for uid " + uid);
    }
    String day = langs.get(0).string("week_start");
    try {
      return java.time.DayOfWeek.of(Integer.parseInt(day));
    } catch (RuntimeException e) {
      throw new OdooProtocolException("res.lang " + lang + ": week_start " + day + " is not 1 to 7");
    }
  }

  @Override
  public Found<OdooRecurrence> recurrences(Collection<Long> recurrenceIds) {
    List<OdooRecurrence> found = new ArrayList<>();
    Map<Long, OdooProtocolException> malformed = new LinkedHashMap<>();
    Set<Long> missing = new LinkedHashSet<>(recurrenceIds);
    for (List<Integer> batch : batches(recurrenceIds)) {
      for (Row row : searchRead(RECURRENCE, List.of(List.of("id", "in", batch)), OdooRecurrence.FIELDS, "id", null, batch)) {
        missing.remove(row.id());
        try {
          OdooRecurrence read = OdooRecurrence.of(row);
          found.add(yearsAsMonths() ? read.withRule(read.rule().asYears()) : read);
        } catch (OdooProtocolException e) {
          malformed.put(row.id(), e);
        }
      }
    }
    return new Found<>(found, missing, malformed);
  }

  @Override
  public List<OdooSeriesEvent> seriesEvents(Collection<Long> recurrenceIds) {
    List<OdooSeriesEvent> out = new ArrayList<>();
    for (List<Integer> batch : batches(recurrenceIds)) {
      List<Object> domain = new ArrayList<>(ACTIVE_OR_NOT);
      domain.add(List.of("recurrence_id", "in", batch));
      for (Row row : searchRead(EVENT, domain, OdooSeriesEvent.FIELDS, "start, id", null, batch)) {
        out.add(OdooSeriesEvent.of(row));
      }
    }
    return out;
  }

  @Override
  public long createSeries(OdooEventDraft first, OdooRule rule) {
    Map<String, Object> vals = new LinkedHashMap<>(first.values());
    vals.putAll(ruleValues(rule));
    vals.put("recurrency", true);
    if (first.source() != null && sourceKeys()) {
      vals.put(SOURCE, first.source());
    }
    return createAll(EVENT, List.of(vals), ORIGIN_NO_MAIL).get(0);
  }

  @Override
  public void writeSeries(long eventId, EventChanges changes, OdooRule rule, SeriesScope scope) {
    Map<String, Object> vals = new LinkedHashMap<>(changes.values());
    if (rule != null) {
      vals.putAll(ruleValues(rule));
    }
    vals.put("recurrence_update", scope.odooValue());
    write(EVENT, List.of(eventId), vals, ORIGIN_NO_MAIL);
  }

  private Map<String, Object> ruleValues(OdooRule rule) {
    return (yearsAsMonths() ? rule.inMonths() : rule).values();
  }

  /** Asked once: Odoo 17 cannot keep a yearly rule (OdooRule.inMonths). */
  private boolean yearsAsMonths() {
    Boolean known = yearsAsMonths;
    if (known == null) {
      known = version().major() < 18;
      yearsAsMonths = known;
    }
    return known;
  }

  private List<Row> searchRead(String model, List<Object> domain, List<String> fields, String order, Integer limit,
      Collection<?> ids) {
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("fields", fields);
    options.put("order", order);
    if (limit != null) {
      options.put("limit", limit);
    }
    return Row.list(model, "search_read", call(new OdooCall(model, "search_read", null, Map.of("domain", domain), options,
        Map.of(), ids)));
  }

  /** Authenticates first when needed. */
  private Object call(OdooCall call) {
    int id = uid;
    if (id == 0) {
      id = authenticate();
    }
    return send(id, call);
  }

  private static List<List<Integer>> batches(Collection<Long> ids) {
    List<Integer> all = Wire.ids(new LinkedHashSet<>(ids));
    List<List<Integer>> batches = new ArrayList<>();
    for (int from = 0; from < all.size(); from += READ_BATCH) {
      batches.add(all.subList(from, Math.min(all.size(), from + READ_BATCH)));
    }
    return batches;
  }
}
