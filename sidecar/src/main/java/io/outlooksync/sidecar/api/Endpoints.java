package io.outlooksync.sidecar.api;

import io.outlooksync.sidecar.core.MailForecast;
import io.outlooksync.sidecar.sync.RunSettings;
import io.outlooksync.sidecar.sync.RunnerUnavailable;
import io.outlooksync.sidecar.sync.SyncRunner;
import io.outlooksync.sidecar.sync.UserOptions;
import io.outlooksync.sidecar.sync.SyncScheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outlooksync.sidecar.store.Account;
import io.outlooksync.sidecar.store.AccountState;
import io.outlooksync.sidecar.store.Store;
import io.outlooksync.sidecar.store.SyncRun;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's operations: health, metrics, configure, status, pause / resume / stop, change announcements, and
 * sign-in (through {@link SignInEndpoints}), sync now and Reset Account (through {@link SyncNow}).
 */
public final class Endpoints {
  /** Store row of the global pause switch. */
  public static final String PAUSED_SETTING = SyncScheduler.PAUSED_SETTING;
  static final Set<String> ODOO_MODELS = Set.of("calendar.event", "calendar.recurrence", "calendar.attendee");
  static final int MAX_IDS = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(Endpoints.class);

  private final Store store;
  private final Setup setup;
  private final WorkQueue queue;
  private final Metrics metrics;
  private final Clock clock;
  private final String version;
  private final Instant started;
  private final Router router = new Router();
  private final SyncNow sync;

  public Endpoints(Store store, Setup setup, WorkQueue queue, Metrics metrics, Clock clock, String version, SignInEndpoints signIn) {
    this(store, setup, queue, metrics, clock, version, signIn, SyncNow.NONE);
  }

  public Endpoints(Store store, Setup setup, WorkQueue queue, Metrics metrics, Clock clock, String version, SignInEndpoints signIn,
                   SyncNow sync) {
    this.sync = sync;
    this.store = store;
    this.setup = setup;
    this.queue = queue;
    this.metrics = metrics;
    this.clock = clock;
    this.version = version;
    this.started = clock.instant();
    GraphNotifications graph = new GraphNotifications(setup, queue, metrics);
    router.add("GET", "/healthz", Router.Auth.NONE, this::health)
        .add("GET", "/metrics", Router.Auth.NONE, c -> Response.text(200, "text/plain; version=0.0.4", metrics.render()))
        .add("POST", "/api/graph/notifications", Router.Auth.NONE, graph::handle)
        .add("POST", "/api/configure", Router.Auth.BOOTSTRAP, this::configure)
        .add("GET", "/api/status", Router.Auth.SIGNED, this::status)
        .add("POST", "/api/pause", Router.Auth.SIGNED, c -> pauseAll(true))
        .add("POST", "/api/resume", Router.Auth.SIGNED, c -> pauseAll(false))
        .add("POST", "/api/stop", Router.Auth.SIGNED, this::stopAll)
        .add("POST", "/api/events/changed", Router.Auth.SIGNED, this::eventsChanged)
        .add("GET", "/api/users/{db}/{userId}/status", Router.Auth.SIGNED, c -> userStatus(account(c)))
        .add("POST", "/api/users/{db}/{userId}/pause", Router.Auth.SIGNED, this::pause)
        .add("POST", "/api/users/{db}/{userId}/resume", Router.Auth.SIGNED, this::resume)
        .add("POST", "/api/users/{db}/{userId}/stop", Router.Auth.SIGNED, this::stop)
        .add("POST", "/api/users/{db}/{userId}/signin/start", Router.Auth.SIGNED, c -> {
          checkDb(c.param("db"));
          return signIn.start(c, c.param("db"), userId(c));
        })
        .add("POST", "/api/signin/complete", Router.Auth.SIGNED, signIn::complete)
        .add("POST", "/api/users/{db}/{userId}/sync", Router.Auth.SIGNED, this::syncNow)
        .add("POST", "/api/users/{db}/{userId}/reset", Router.Auth.SIGNED, this::reset)
        .add("GET", "/api/users/{db}/{userId}/options", Router.Auth.SIGNED, c -> options(account(c)))
        .add("POST", "/api/users/{db}/{userId}/options", Router.Auth.SIGNED, this::setOptions)
        // The admin shell's view (docs/shell.md): every account, signed like the addon's calls.
        .add("GET", "/api/accounts", Router.Auth.SIGNED, this::accounts);
    AdminEndpoints.register(router, store);
    metrics.gauge("outlook_sync_accounts", "Accounts by state.", this::accountsByStateGauge);
    metrics.gauge("outlook_sync_work_queue_depth", "Announced changes waiting for the sync engine.",
        () -> Map.of("", (double) queue.size()));
    metrics.gauge("outlook_sync_work_refused_total", "Announcements refused because the queue was full.",
        () -> Map.of("", (double) queue.refused()));
  }

  Router router() {
    return router;
  }

  Setup setup() {
    return setup;
  }

  Metrics metrics() {
    return metrics;
  }

  Clock clock() {
    return clock;
  }

  private Response health(Call c) {
    boolean storeOk;
    boolean paused = false;
    try {
      storeOk = store.database().transaction(conn -> conn.isValid(2));
      paused = globallyPaused();
    } catch (SQLException e) {
      LOG.atWarn().setCause(e).addKeyValue("req", c.requestId()).log("health check: store unavailable");
      storeOk = false;
    }
    List<String> missing = setup.missing();
    ObjectNode n = Json.object();
    n.put("status", !storeOk ? "failing" : missing.isEmpty() ? "ok" : "degraded");
    n.put("message", !storeOk ? "the store is unavailable"
        : missing.isEmpty() ? "ready" : "waiting for settings: " + String.join(", ", missing));
    n.set("missing", strings(missing));
    n.put("store", storeOk ? "ok" : "unavailable");
    n.put("paused", paused);
    n.put("version", version);
    n.put("uptime_seconds", Duration.between(started, clock.instant()).toSeconds());
    return Response.json(storeOk ? 200 : 503, n);
  }

  private Response configure(Call c) throws SQLException {
    JsonNode body = c.json();
    Map<String, String> values = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (v.isNull()) {
        values.put(e.getKey(), "");
      } else if (v.isTextual()) {
        values.put(e.getKey(), v.asText());
      } else {
        throw ApiException.badRequest(e.getKey() + " must be a string (or null to remove the pushed value)");
      }
    }
    if (values.isEmpty()) {
      throw ApiException.badRequest("nothing to configure: send at least one setting");
    }
    List<String> stored = setup.configure(values, c.bootstrap());
    LOG.atInfo().addKeyValue("req", c.requestId()).addKeyValue("keys", String.join(",", stored))
        .addKeyValue("bootstrap", c.bootstrap()).log("configuration pushed by the addon");
    ObjectNode n = Json.object();
    n.set("stored", strings(stored));
    n.set("missing", strings(setup.missing()));
    return Response.json(200, n);
  }

  private Response status(Call c) throws SQLException {
    List<String> missing = setup.missing();
    ObjectNode n = Json.object();
    n.put("configured", missing.isEmpty());
    n.set("missing", strings(missing));
    n.put("paused", globallyPaused());
    ObjectNode accounts = n.putObject("accounts");
    accountsByState().forEach((state, count) -> accounts.put(state.name(), count));
    n.put("queue_depth", queue.size());
    n.put("version", version);
    return Response.json(200, n);
  }

  private Response pauseAll(boolean paused) throws SQLException {
    store.settings().put(PAUSED_SETTING, Boolean.toString(paused));
    LOG.atInfo().addKeyValue("paused", paused).log(paused ? "sync paused for everyone" : "sync resumed for everyone");
    ObjectNode n = Json.object();
    n.put("paused", paused);
    return Response.json(200, n);
  }

  /**
   * Stops every account: none syncs again until its user signs in again. For decommissioning or an emergency;
   * a global pause is the reversible switch.
   */
  private Response stopAll(Call c) throws SQLException {
    String why = reason(c, "stopped for everyone through the API");
    int stopped = 0;
    for (Account a : store.accounts().all()) {
      if (a.state() != AccountState.STOPPED) {
        store.accounts().setState(a.id(), AccountState.STOPPED, why);
        logState(c, a, AccountState.STOPPED);
        stopped++;
      }
    }
    ObjectNode n = Json.object();
    n.put("stopped", stopped);
    return Response.json(200, n);
  }

  private Response eventsChanged(Call c) {
    JsonNode body = c.json();
    String db = Json.text(body, "db", 63);
    checkDb(db);
    String model = Json.text(body, "model", 100);
    if (!ODOO_MODELS.contains(model)) {
      throw ApiException.badRequest("model must be one of " + String.join(", ", ODOO_MODELS.stream().sorted().toList()));
    }
    JsonNode ids = body.get("ids");
    if (ids == null || !ids.isArray() || ids.isEmpty()) {
      throw ApiException.badRequest("ids is required: a non-empty array of record ids");
    }
    if (ids.size() > MAX_IDS) {
      throw ApiException.badRequest("at most " + MAX_IDS + " ids per call");
    }
    List<Long> list = new ArrayList<>(ids.size());
    for (JsonNode id : ids) {
      if (!id.canConvertToLong() || !id.isIntegralNumber() || id.asLong() <= 0) {
        throw ApiException.badRequest("ids must be positive integers");
      }
      list.add(id.asLong());
    }
    if (!queue.offer(new Work.OdooChange(db, model, list))) {
      throw new ApiException(503, "queue_full", "too many changes are waiting; retry later (the periodic sync finds them anyway)");
    }
    ObjectNode n = Json.object();
    n.put("queued", list.size());
    return Response.json(202, n);
  }

  private Response pause(Call c) throws SQLException {
    Account a = account(c);
    if (a.state() == AccountState.CONNECTED) {
      store.accounts().setState(a.id(), AccountState.PAUSED, reason(c, "paused through the API"));
      logState(c, a, AccountState.PAUSED);
    } else if (a.state() != AccountState.PAUSED) {
      throw new ApiException(409, "not_syncing", "only a connected account can be paused; this one is " + a.state());
    }
    return userStatus(reload(a));
  }

  private Response resume(Call c) throws SQLException {
    Account a = account(c);
    if (a.state() == AccountState.PAUSED) {
      AccountState next = a.msHomeAccountId() == null ? AccountState.NOT_CONNECTED : AccountState.CONNECTED;
      store.accounts().setState(a.id(), next, null);
      logState(c, a, next);
    } else if (a.state() != AccountState.CONNECTED) {
      throw new ApiException(409, "not_paused", "only a paused account can be resumed; this one is " + a.state()
          + (a.state() == AccountState.NEEDS_REAUTH || a.state() == AccountState.STOPPED ? " and must sign in again" : ""));
    }
    return userStatus(reload(a));
  }

  private Response stop(Call c) throws SQLException {
    Account a = account(c);
    if (a.state() != AccountState.STOPPED) {
      store.accounts().setState(a.id(), AccountState.STOPPED, reason(c, "stopped through the API"));
      logState(c, a, AccountState.STOPPED);
    }
    return userStatus(reload(a));
  }

  private Response accounts(Call c) throws SQLException {
    List<Account> all = new ArrayList<>(store.accounts().all());
    all.sort(Comparator.comparing(Account::odooDb).thenComparingLong(Account::odooUserId));
    ObjectNode n = Json.object();
    ArrayNode list = n.putArray("accounts");
    for (Account a : all) {
      list.add(accountNode(a));
    }
    return Response.json(200, n);
  }

  /**
   * Runs one sync of the account now, in this request (a run of one account takes seconds), and answers what it
   * decided and did: counts per action kind, the e-mails Outlook sends because of it, and errors (ids only).
   */
  private Response syncNow(Call c) throws SQLException {
    Account a = account(c);
    boolean dryRun = Boolean.TRUE.equals(optionalFlag(c.json(), "dry_run"));
    if (a.state() != AccountState.CONNECTED) {
      throw new ApiException(409, "not_syncing", "only a connected account syncs; this one is " + a.state());
    }
    if (globallyPaused()) {
      throw new ApiException(409, "not_syncing", "sync is paused for everyone");
    }
    SyncRunner runner = runner(a.id(), "sync");
    boolean firstSync = !UserOptions.firstSyncConfirmed(store, a);
    if (!dryRun && firstSync) {
      // The user saw the forecast and asked for the real run: from now on scheduled runs may follow.
      UserOptions.confirmFirstSync(store, a.id());
    }
    SyncRunner.RunResult r;
    try {
      r = sync.run(runner, a.id(), dryRun);
    } catch (SyncRunner.Busy busy) {
      throw new ApiException(409, "busy", "this account is already syncing; a scheduled run follows that one, or try again when it ends");
    }
    LOG.atInfo().addKeyValue("req", c.requestId()).addKeyValue("account", a.id()).addKeyValue("run", r.runId())
        .addKeyValue("dry_run", dryRun).addKeyValue("changes", r.changes()).addKeyValue("errors", r.errors().size())
        .log("sync run through the API");
    ObjectNode n = Json.object();
    n.put("run_id", r.runId());
    n.put("dry_run", r.dryRun());
    n.put("first_sync", firstSync);
    n.put("succeeded", r.succeeded());
    planSummary(n, r.changes(), r.counts(), r.forecast());
    n.set("errors", strings(r.errors()));
    return Response.json(200, n);
  }

  /** {@code changes}, {@code counts} per action kind and the {@code mail} forecast, as sync and reset answer them. */
  private static void planSummary(ObjectNode n, long changes, Map<String, Integer> counts, MailForecast forecast) {
    n.put("changes", changes);
    ObjectNode byKind = n.putObject("counts");
    counts.forEach(byKind::put);
    ObjectNode mail = n.putObject("mail");
    mail.put("count", forecast.total());
    for (MailForecast.Kind k : MailForecast.Kind.values()) {
      mail.put(k.name().toLowerCase(java.util.Locale.ROOT), forecast.count(k));
    }
    mail.set("recipients", strings(List.copyOf(forecast.recipients())));
  }

  /** The user's options in force: their own choice, else the administrator's default. */
  private Response options(Account a) throws SQLException {
    RunSettings defaults = sync.runSettings();
    UserOptions o = UserOptions.read(store, a.id(), defaults);
    ObjectNode n = Json.object();
    n.put("quiet", o.quiet());
    n.put("only_future", o.onlyFuture());
    n.put("quiet_default", defaults.quietDefault());
    n.put("only_future_default", defaults.onlyFutureDefault());
    return Response.json(200, n);
  }

  /**
   * {@code {"quiet": bool, "only_future": bool}}: each optional; {@code null} goes back to the administrator's
   * default. Takes effect at the account's next run.
   */
  private Response setOptions(Call c) throws SQLException {
    Account a = account(c);
    JsonNode body = c.json();
    Map<String, Boolean> choices = new LinkedHashMap<>();
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!UserOptions.NAMES.contains(name)) {
        throw ApiException.badRequest("unknown option " + name + " (quiet, only_future)");
      }
      choices.put(name, optionalFlag(body, name));
    }
    UserOptions.write(store, a.id(), choices);
    LOG.atInfo().addKeyValue("req", c.requestId()).addKeyValue("account", a.id()).addKeyValue("options", choices)
        .log("user options changed");
    return options(a);
  }

  private static Boolean optionalFlag(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isBoolean()) {
      throw ApiException.badRequest(field + " must be true, false or null");
    }
    return v.asBoolean();
  }

  /**
   * Reset Account: {@code {"delete": "leave|outlook|odoo|both", "next": "new|all", "dry_run": bool}}. A dry run
   * says how many events each side would lose and how many cancellations Outlook would send; nothing changes.
   * Allowed in any account state but a running sync (a user who must sign in again can still be reset).
   */
  private Response reset(Call c) throws SQLException {
    Account a = account(c);
    JsonNode body = c.json();
    io.outlooksync.sidecar.sync.AccountReset.DeletePolicy delete = switch (text(body, "delete", "leave")) {
      case "leave" -> io.outlooksync.sidecar.sync.AccountReset.DeletePolicy.LEAVE;
      case "outlook" -> io.outlooksync.sidecar.sync.AccountReset.DeletePolicy.DELETE_FROM_OUTLOOK;
      case "odoo" -> io.outlooksync.sidecar.sync.AccountReset.DeletePolicy.DELETE_FROM_ODOO;
      case "both" -> io.outlooksync.sidecar.sync.AccountReset.DeletePolicy.DELETE_FROM_BOTH;
      default -> throw ApiException.badRequest("delete must be leave, outlook, odoo or both");
    };
    io.outlooksync.sidecar.sync.AccountReset.NextSync next = switch (text(body, "next", "new")) {
      case "new" -> io.outlooksync.sidecar.sync.AccountReset.NextSync.NEW_ONLY;
      case "all" -> io.outlooksync.sidecar.sync.AccountReset.NextSync.ALL_EXISTING;
      default -> throw ApiException.badRequest("next must be new or all");
    };
    boolean dryRun = Boolean.TRUE.equals(optionalFlag(body, "dry_run"));
    SyncRunner runner = runner(a.id(), "reset");
    io.outlooksync.sidecar.sync.AccountReset.Result r;
    try {
      r = sync.reset(runner, a.id(), delete, next, dryRun);
    } catch (SyncRunner.Busy busy) {
      throw new ApiException(409, "busy", "this account is syncing; try again when that run ends");
    }
    LOG.atInfo().addKeyValue("req", c.requestId()).addKeyValue("account", a.id()).addKeyValue("run", r.runId())
        .addKeyValue("dry_run", dryRun).addKeyValue("delete", delete).addKeyValue("next", next)
        .addKeyValue("errors", r.errors().size()).log("account reset through the API");
    ObjectNode n = Json.object();
    n.put("run_id", r.runId());
    n.put("dry_run", r.dryRun());
    n.put("succeeded", r.errors().isEmpty());
    n.put("outlook_deleted", r.outlookDeleted());
    n.put("odoo_archived", r.odooArchived());
    ObjectNode mail = n.putObject("mail");
    mail.put("cancellation", r.cancellations());
    mail.set("recipients", strings(List.copyOf(r.recipients())));
    if (r.nextSync() != null) {
      planSummary(n.putObject("next_sync"), r.nextSync().changes(), r.nextSync().counts(), r.nextSync().forecast());
    }
    n.set("errors", strings(r.errors()));
    return Response.json(200, n);
  }

  private static String text(JsonNode body, String field, String fallback) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isTextual()) {
      throw ApiException.badRequest(field + " must be a string");
    }
    return v.asText();
  }

  private Account account(Call c) throws SQLException {
    String db = c.param("db");
    checkDb(db);
    long userId = userId(c);
    return store.accounts().find(db, userId).orElseThrow(() -> new ApiException(404, "not_connected",
        "user " + userId + " of database " + db + " has never connected an Outlook account"));
  }

  private Account reload(Account a) throws SQLException {
    return store.accounts().get(a.id()).orElseThrow(() -> new ApiException(404, "not_connected", "the account was removed"));
  }

  /** One account with its schedule: when its next run is due (null: none scheduled) and whether one is under way. */
  private Response userStatus(Account a) throws SQLException {
    ObjectNode n = accountNode(a);
    SyncScheduler.Status s = sync.schedule(a.id());
    n.put("next_sync_at", s.nextSyncAt() == null ? null : s.nextSyncAt().toString());
    n.put("syncing", s.syncing());
    return Response.json(200, n);
  }

  ObjectNode accountNode(Account a) throws SQLException {
    return AccountJson.of(store, a);
  }

  private static void logState(Call c, Account a, AccountState to) {
    LOG.atInfo().addKeyValue("req", c.requestId()).addKeyValue("db", a.odooDb()).addKeyValue("user", a.odooUserId())
        .addKeyValue("account", a.id()).addKeyValue("from", a.state()).addKeyValue("to", to).log("account state changed");
  }

  private static String reason(Call c, String fallback) {
    JsonNode r = c.json().get("reason");
    if (r == null || r.isNull()) {
      return fallback;
    }
    if (!r.isTextual() || r.asText().length() > 500) {
      throw ApiException.badRequest("reason must be a string of at most 500 characters");
    }
    return r.asText();
  }

  static void checkDb(String db) {
    if (db == null || !db.matches("[A-Za-z0-9_.-]{1,63}")) {
      throw ApiException.badRequest("db must be an Odoo database name (letters, digits, _ . -; at most 63)");
    }
  }

  static long userId(Call c) {
    try {
      long id = Long.parseLong(c.param("userId"));
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw ApiException.badRequest("userId must be a positive integer");
  }

  private boolean globallyPaused() throws SQLException {
    return store.settings().value(PAUSED_SETTING).map(Boolean::parseBoolean).orElse(false);
  }

  private Map<AccountState, Integer> accountsByState() throws SQLException {
    Map<AccountState, Integer> counts = new EnumMap<>(AccountState.class);
    for (AccountState s : AccountState.values()) {
      counts.put(s, 0);
    }
    for (Account a : store.accounts().all()) {
      counts.merge(a.state(), 1, Integer::sum);
    }
    return counts;
  }

  private Map<String, Double> accountsByStateGauge() {
    try {
      Map<String, Double> out = new LinkedHashMap<>();
      accountsByState().forEach((s, n) -> out.put(Metrics.labelSet("state", s.name()), (double) n));
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("store unavailable", e);
    }
  }

  private static ArrayNode strings(List<String> values) {
    ArrayNode a = Json.MAPPER.createArrayNode();
    values.forEach(a::add);
    return a;
  }

  /**
   * The sync runner, or 409 naming the missing settings. Building it asks Odoo its version and signs in: while
   * Odoo cannot be reached that is a 503 (not an internal error), and the account's last error says so.
   */
  private SyncRunner runner(long accountId, String what) throws SQLException {
    try {
      return sync.runner().orElseThrow(() -> new ApiException(409, "not_configured",
          what + " needs these settings first: " + String.join(", ", sync.missingForSync())));
    } catch (RunnerUnavailable e) {
      store.accounts().recordError(accountId, e.getMessage());
      throw new ApiException(e.retryable() ? 503 : 502, "odoo_unavailable", e.getMessage() + "; try again when it answers");
    }
  }
}
