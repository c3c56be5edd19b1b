package io.outlooksync.sidecar.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outlooksync.sidecar.core.CalEvent;
import io.outlooksync.sidecar.core.Mapping;
import io.outlooksync.sidecar.store.Account;
import io.outlooksync.sidecar.store.Store;
import io.outlooksync.sidecar.store.SyncRun;
import io.outlooksync.sidecar.sync.Replay;
import io.outlooksync.sidecar.sync.Snapshots;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The admin shell's read side of the API (docs/api.md, "Admin"): an account's mappings, its journal of runs, one
 * run, the replay of a run, and the recent log lines. Dry runs, syncs and resets go through the addon's own
 * endpoints; a sync's progress is its log lines ({@code account=} and {@code run=} on each).
 */
public final class AdminEndpoints {
  /** The log route: its own requests are logged at DEBUG, or every poll of {@code tail} would show itself. */
  public static final String LOG_ROUTE = "/api/logs";
  static final int MAX_MAPPINGS = 5000;
  static final int MAX_RUNS = 500;
  static final int MAX_LOG_LINES = 1000;
  static final Duration MAX_LOG_WAIT = Duration.ofSeconds(8);
  /** How many of an account's latest runs are searched for the conflicts of its mappings. */
  static final int CONFLICT_RUNS = 100;
  private static final ObjectMapper STORED = new ObjectMapper();

  private final Store store;
  private final LogRing log;

  AdminEndpoints(Store store, LogRing log) {
    this.store = store;
    this.log = log;
  }

  /** The admin routes of a running sidecar. */
  static void register(Router router, Store store) {
    AdminEndpoints admin = new AdminEndpoints(store, LogRing.SHARED);
    admin.readOnly(router);
    router.add("GET", LOG_ROUTE, Router.Auth.SIGNED, admin::log);
  }

  /**
   * A post-mortem's routes on a stopped sidecar's store: the read-only admin routes, plus the account list and
   * status that the running sidecar serves from {@link Endpoints}.
   */
  void offline(Router router) {
    router.add("GET", "/api/accounts", Router.Auth.NONE, c -> {
      List<Account> all = new ArrayList<>(store.accounts().all());
      all.sort(Comparator.comparing(Account::odooDb).thenComparingLong(Account::odooUserId));
      ObjectNode n = Json.object();
      for (Account a : all) {
        n.withArray("accounts").add(AccountJson.of(store, a));
      }
      n.withArray("accounts");
      return Response.json(200, n);
    }).add("GET", "/api/users/{db}/{userId}/status", Router.Auth.NONE, c -> Response.json(200, AccountJson.of(store, account(c))));
    readOnly(router);
  }

  /** The routes that only read the store. */
  void readOnly(Router router) {
    router.add("GET", "/api/users/{db}/{userId}/mappings", Router.Auth.SIGNED, this::mappings)
        .add("GET", "/api/users/{db}/{userId}/runs", Router.Auth.SIGNED, this::runs)
        .add("GET", "/api/runs/{runId}", Router.Auth.SIGNED, this::run)
        .add("GET", "/api/runs/{runId}/replay", Router.Auth.SIGNED, this::replay);
  }

  /**
   * {@code ?filter=TEXT} keeps mappings whose Odoo id or mapping id equals it, or whose Graph id, iCalUId or title
   * contains it (case ignored); {@code ?limit=N} (default 200).
   */
  private Response mappings(Call c) throws SQLException {
    Account a = account(c);
    String filter = c.query("filter").map(f -> f.strip().toLowerCase(Locale.ROOT)).filter(f -> !f.isEmpty()).orElse(null);
    int limit = number(c, "limit", 200, 1, MAX_MAPPINGS);
    Map<Long, ArrayNode> conflicts = conflicts(a.id());
    ObjectNode n = Json.object();
    n.put("user", a.odooDb() + "/" + a.odooUserId());
    n.put("account_id", a.id());
    ArrayNode list = n.putArray("mappings");
    int[] total = {0};
    store.mappings().forEach(a.id(), 500, m -> {
      CalEvent odoo = snapshot(m.odooSynced());
      CalEvent graph = snapshot(m.graphSynced());
      String title = odoo != null ? odoo.title() : graph != null ? graph.title() : null;
      if (filter != null && !matches(m, title, filter)) {
        return;
      }
      total[0]++;
      if (list.size() >= limit) {
        return;
      }
      ObjectNode row = list.addObject();
      row.put("id", m.id());
      row.put("odoo_event_id", m.odooEventId());
      row.put("graph_id", m.graphId());
      row.put("ical_uid", m.iCalUId());
      row.put("change_key", m.changeKey());
      row.put("title", title);
      row.set("odoo_synced", summary(odoo, Snapshots.archived(m.odooSynced())));
      row.set("graph_synced", summary(graph, false));
      row.set("conflicts", conflicts.getOrDefault(m.id(), Json.MAPPER.createArrayNode()));
    });
    n.put("matched", total[0]);
    n.put("shown", list.size());
    return Response.json(200, n);
  }

  private static boolean matches(Mapping m, String title, String filter) {
    return filter.equals(String.valueOf(m.odooEventId())) || filter.equals(String.valueOf(m.id()))
        || contains(m.graphId(), filter) || contains(m.iCalUId(), filter) || contains(title, filter);
  }

  private static boolean contains(String value, String lowerNeedle) {
    return value != null && value.toLowerCase(Locale.ROOT).contains(lowerNeedle);
  }

  /** A snapshot that cannot be read shows as absent here; the replay and the next run say more. */
  private static CalEvent snapshot(String json) {
    try {
      return Snapshots.read(json);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static JsonNode summary(CalEvent e, boolean archived) {
    if (e == null) {
      return null;
    }
    ObjectNode s = Json.object();
    s.put("title", e.title());
    s.put("start", e.when().startInstant().toString());
    s.put("end", e.when().endInstant().toString());
    s.put("attendees", e.attendees().size());
    if (archived) {
      s.put("archived", true);
    }
    return s;
  }

  /** Conflict notes of the account's latest runs, by mapping id: run, field and which side won. */
  private Map<Long, ArrayNode> conflicts(long accountId) throws SQLException {
    Map<Long, ArrayNode> out = new HashMap<>();
    for (SyncRun r : store.syncRuns().recent(accountId, CONFLICT_RUNS)) {
      JsonNode plan = stored(r.plan());
      for (JsonNode action : plan.path("actions")) {
        if ("Conflict".equals(action.path("kind").asText()) && action.has("mapping")) {
          out.computeIfAbsent(action.get("mapping").asLong(), k -> Json.MAPPER.createArrayNode()).addObject()
              .put("run", r.id()).put("field", action.path("field").asText(null)).put("winner", action.path("winner").asText(null));
        }
      }
    }
    return out;
  }

  /** {@code ?limit=N} (default 20) latest runs, newest first, each with its counts. */
  private Response runs(Call c) throws SQLException {
    Account a = account(c);
    int limit = number(c, "limit", 20, 1, MAX_RUNS);
    ObjectNode n = Json.object();
    n.put("user", a.odooDb() + "/" + a.odooUserId());
    ArrayNode list = n.putArray("runs");
    for (SyncRun r : store.syncRuns().recent(a.id(), limit)) {
      ObjectNode row = head(r);
      JsonNode outcome = stored(r.outcome());
      row.set("counts", outcome.path("counts").isObject() ? outcome.get("counts") : Json.object());
      row.put("errors", outcome.path("errors").size());
      list.add(row);
    }
    return Response.json(200, n);
  }

  /** One run: its head, inputs summary (the whole inputs with {@code ?inputs=true}), plan, outcome, error. */
  private Response run(Call c) throws SQLException {
    SyncRun r = syncRun(c);
    ObjectNode n = head(r);
    Account a = store.accounts().get(r.accountId()).orElse(null);
    n.put("user", a == null ? null : a.odooDb() + "/" + a.odooUserId());
    JsonNode inputs = stored(r.inputs());
    ObjectNode summary = n.putObject("inputs_summary");
    summary.put("window_start", inputs.path("window_start").asText(null));
    summary.put("window_end", inputs.path("window_end").asText(null));
    for (String list : List.of("pairs", "new_in_odoo", "new_in_outlook", "notes")) {
      JsonNode v = inputs.path(list);
      if (v.isArray() || v.isNumber()) {
        summary.put(list, v.isArray() ? v.size() : v.asInt());
      }
    }
    if (inputs.has("not_recorded")) {
      summary.put("not_recorded", inputs.get("not_recorded").asText());
    }
    if (c.query("inputs").map("true"::equals).orElse(false)) {
      n.set("inputs", inputs);
    }
    n.set("plan", stored(r.plan()));
    n.set("outcome", stored(r.outcome()));
    n.put("error", r.error());
    return Response.json(200, n);
  }

  private Response replay(Call c) throws SQLException {
    Replay.Result r = Replay.of(syncRun(c));
    ObjectNode n = Json.object();
    n.put("run_id", r.runId());
    n.put("replayable", r.replayable());
    n.put("why_not", r.whyNot());
    n.put("reproduced", r.reproduced());
    n.set("recorded", steps(r.recorded()));
    n.set("replayed", steps(r.replayed()));
    ArrayNode differences = n.putArray("differences");
    r.differences().forEach(differences::add);
    return Response.json(200, n);
  }

  private static ArrayNode steps(List<Replay.Step> steps) {
    ArrayNode a = Json.MAPPER.createArrayNode();
    steps.forEach(s -> a.addObject().put("kind", s.kind()).put("id", s.id()).put("reason", s.reason()));
    return a;
  }

  /**
   * Recent log lines, already redacted: {@code ?after=SEQ} (default: the last {@code limit} lines),
   * {@code limit}, {@code wait=SECONDS} (long poll for the first new line, at most 8), {@code account=ID} (lines
   * of one account), {@code grep=TEXT} (lines containing it).
   */
  private Response log(Call c) throws InterruptedException {
    int limit = number(c, "limit", 200, 0, MAX_LOG_LINES);
    long after = c.query("after").map(v -> parse(v, "after")).orElse((long) -limit);
    int wait = number(c, "wait", 0, 0, (int) MAX_LOG_WAIT.toSeconds());
    Predicate<String> keep = line -> true;
    if (c.query("account").isPresent()) {
      String field = " account=" + parse(c.query("account").get(), "account");
      keep = line -> line.contains(field + " ") || line.endsWith(field);
    }
    if (c.query("grep").isPresent()) {
      String text = c.query("grep").get();
      keep = keep.and(line -> line.contains(text));
    }
    LogRing.Slice s = limit == 0 ? new LogRing.Slice(List.of(), 0, log.last())
        : log.after(after, limit, keep, Duration.ofSeconds(wait));
    ObjectNode n = Json.object();
    ArrayNode lines = n.putArray("lines");
    s.lines().forEach(l -> lines.addObject().put("seq", l.seq()).put("line", l.text()));
    n.put("dropped", s.dropped());
    n.put("next", s.next());
    return Response.json(200, n);
  }

  private static ObjectNode head(SyncRun r) {
    ObjectNode n = Json.object();
    n.put("id", r.id());
    n.put("account_id", r.accountId());
    n.put("cause", r.cause());
    n.put("dry_run", r.dryRun());
    n.put("status", r.status().name());
    n.put("started_at", r.startedAt() == null ? null : r.startedAt().toString());
    n.put("finished_at", r.finishedAt() == null ? null : r.finishedAt().toString());
    return n;
  }

  /** A journal document as JSON; text that is not JSON comes back as a string, absent as an empty object. */
  private static JsonNode stored(String json) {
    if (json == null || json.isBlank()) {
      return Json.object();
    }
    try {
      return STORED.readTree(json);
    } catch (IOException e) {
      return Json.MAPPER.getNodeFactory().textNode(json);
    }
  }

  private SyncRun syncRun(Call c) throws SQLException {
    long id = parse(c.param("runId"), "runId");
    return store.syncRuns().get(id).orElseThrow(() -> new ApiException(404, "not_found", "no sync run " + id));
  }

  private Account account(Call c) throws SQLException {
    String db = c.param("db");
    Endpoints.checkDb(db);
    long userId = Endpoints.userId(c);
    return store.accounts().find(db, userId).orElseThrow(() -> new ApiException(404, "not_connected",
        "user " + userId + " of database " + db + " has never connected an Outlook account"));
  }

  private static int number(Call c, String name, int fallback, int min, int max) {
    long v = c.query(name).map(s -> parse(s, name)).orElse((long) fallback);
    if (v < min || v > max) {
      throw ApiException.badRequest(name + " must be between " + min + " and " + max);
    }
    return (int) v;
  }

  private static long parse(String value, String name) {
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + " must be an integer");
    }
  }
}
