package io.outlooksync.sidecar.sync;

import io.outlooksync.sidecar.graph.GraphThrottledException;
import io.outlooksync.sidecar.graph.GraphUnavailableException;
import io.outlooksync.sidecar.graph.SubscriptionGateway;
import io.outlooksync.sidecar.store.Account;
import io.outlooksync.sidecar.store.AccountState;
import io.outlooksync.sidecar.store.GraphSubscriptions;
import io.outlooksync.sidecar.store.Store;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one Graph change-notification subscription per account this sidecar syncs, while a public base URL is
 * configured: created once the account has synced once (its first sync is the user's to start), renewed before
 * it expires, created again when Graph lost it (404 on renewal, {@code subscriptionRemoved}), moved when the
 * base URL changes, and deleted when the account stops syncing (stopped, signed out, must sign in again, reset
 * to before its first sync) or the base URL is removed. Paused accounts keep theirs.
 *
 * <p>Lifecycle notifications: {@code missed} makes the account run (its delta round finds what was missed) and
 * counts its notifications as silent until the next one arrives; {@code subscriptionRemoved} creates the
 * subscription again and runs the account; {@code reauthorizationRequired} renews at once. Graph calls happen on
 * the keeper's own threads, never on the thread that routes notifications.
 */
public final class SubscriptionKeeper implements AutoCloseable {
  public static final String WEBHOOK_PATH = "/api/graph/notifications";
  static final String RESOURCE = "me/events";
  static final String CHANGE_TYPES = "created,updated,deleted";
  static final Duration RETRY_BASE = Duration.ofMinutes(1);
  static final Duration RETRY_MAX = Duration.ofHours(1);
  private static final int THREADS = 4;
  private static final Logger LOG = LoggerFactory.getLogger(SubscriptionKeeper.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The subscription calls for an account's mailbox, once the settings for them are known. */
  @FunctionalInterface
  public interface Graph {
    Optional<SubscriptionGateway> of(long accountId);
  }

  /** Passes a lifecycle event of an account another sidecar syncs to that sidecar. */
  @FunctionalInterface
  public interface Forward {
    void lifecycle(long accountId, String lifecycleEvent);

    Forward NOWHERE = (accountId, lifecycleEvent) -> {};
  }

  private final Store store;
  private final Graph graph;
  private final Supplier<Optional<String>> publicBaseUrl;
  private final ChangeSink sink;
  private final Clock clock;
  private final SubscriptionSettings settings;
  private volatile Ownership ownership = Ownership.EVERYTHING;
  private volatile Forward forward = Forward.NOWHERE;
  /** Expiry of each account's subscription as last stored. */
  private final Map<Long, Instant> expiries = new ConcurrentHashMap<>();
  /** Accounts whose notifications cannot be trusted until one arrives again (after {@code missed}). */
  private final Set<Long> silent = ConcurrentHashMap.newKeySet();
  private final Set<Long> recreate = ConcurrentHashMap.newKeySet();
  private final Set<Long> renewNow = ConcurrentHashMap.newKeySet();
  private final Map<Long, Instant> retryAt = new ConcurrentHashMap<>();
  private final Map<Long, Integer> failures = new ConcurrentHashMap<>();
  private final ExecutorService pool;
  private final Thread thread;
  private final Object wake = new Object();
  private boolean woken;
  private volatile boolean closed;

  public SubscriptionKeeper(Store store, Graph graph, Supplier<Optional<String>> publicBaseUrl, ChangeSink sink, Clock clock,
                            SubscriptionSettings settings) {
    this.store = store;
    this.graph = graph;
    this.publicBaseUrl = publicBaseUrl;
    this.sink = sink;
    this.clock = clock;
    this.settings = settings;
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(THREADS, r -> {
      Thread t = new Thread(r, "graph-subscriptions-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.thread = new Thread(this::loop, "graph-subscription-keeper");
    this.thread.setDaemon(true);
  }

  public SubscriptionKeeper ownedBy(Ownership o) {
    this.ownership = o;
    return this;
  }

  public SubscriptionKeeper forwardingTo(Forward f) {
    this.forward = f;
    return this;
  }

  public SubscriptionKeeper start() {
    thread.start();
    return this;
  }

  public SubscriptionSettings settings() {
    return settings;
  }

  /** Looks at every account again now (settings changed, an account stopped, a lifecycle event). */
  public void wake() {
    synchronized (wake) {
      woken = true;
      wake.notifyAll();
    }
  }

  /** A change notification for the account arrived: its notifications are alive. */
  public void heard(long accountId) {
    silent.remove(accountId);
  }

  /** Whether the account has an unexpired subscription whose notifications are not known to be lost. */
  public boolean alive(long accountId) {
    Instant e = expiries.get(accountId);
    return e != null && e.isAfter(clock.instant()) && !silent.contains(accountId);
  }

  /** The account's fallback interval: stretched while its notifications are alive, {@code configured} otherwise. */
  public Duration interval(long accountId, Duration configured) {
    return alive(accountId) && settings.notifiedInterval().compareTo(configured) > 0 ? settings.notifiedInterval() : configured;
  }

  /** A lifecycle notification for {@code subscriptionId}; one for an account another sidecar syncs goes there. */
  public void lifecycle(String subscriptionId, String lifecycleEvent) throws SQLException {
    Optional<GraphSubscriptions.Row> row = store.subscriptions().byId(subscriptionId);
    if (row.isEmpty()) {
      LOG.atInfo().addKeyValue("subscription", subscriptionId).addKeyValue("event", lifecycleEvent)
          .log("lifecycle notification for a subscription this store does not know; ignored");
      return;
    }
    long account = row.get().accountId();
    if (!ownership.holds(account)) {
      forward.lifecycle(account, lifecycleEvent);
      return;
    }
    handle(account, lifecycleEvent);
  }

  /** Acts on a lifecycle event of an account this sidecar syncs. */
  public void handle(long accountId, String lifecycleEvent) {
    LOG.atInfo().addKeyValue("account", accountId).addKeyValue("event", lifecycleEvent).log("Graph subscription lifecycle event");
    switch (lifecycleEvent == null ? "" : lifecycleEvent) {
      case "missed" -> {
        silent.add(accountId);
        sink.changed(accountId, Trigger.GRAPH);
      }
      case "subscriptionRemoved" -> {
        expiries.remove(accountId);
        recreate.add(accountId);
        retryAt.remove(accountId);
        sink.changed(accountId, Trigger.GRAPH);
        wake();
      }
      case "reauthorizationRequired" -> {
        renewNow.add(accountId);
        retryAt.remove(accountId);
        wake();
      }
      default -> LOG.atWarn().addKeyValue("account", accountId).log("unknown Graph lifecycle event ignored");
    }
  }

  // ------------------------------------------------------------------ the keeper's loop

  private void loop() {
    while (!closed) {
      try {
        tick();
      } catch (SQLException | RuntimeException e) {
        LOG.atWarn().setCause(e).log("keeping Graph subscriptions failed this time; the keeper tries again");
      }
      synchronized (wake) {
        if (!woken && !closed) {
          try {
            wake.wait(settings.tick().toMillis());
          } catch (InterruptedException e) {
            return;
          }
        }
        woken = false;
      }
    }
  }

  /** One look at every account this sidecar syncs: what each subscription needs, done on the keeper's threads. */
  void tick() throws SQLException {
    Optional<String> url = publicBaseUrl.get().map(b -> (b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + WEBHOOK_PATH);
    Map<Long, GraphSubscriptions.Row> rows = new HashMap<>();
    for (GraphSubscriptions.Row r : store.subscriptions().all()) {
      rows.put(r.accountId(), r);
    }
    expiries.keySet().retainAll(rows.keySet());
    rows.forEach((id, r) -> expiries.put(id, r.expiresAt()));
    Set<Long> synced = SyncRunner.accountsWithCursors(store);
    Instant now = clock.instant();
    List<Runnable> work = new ArrayList<>();
    for (Account a : store.accounts().all()) {
      long id = a.id();
      if (!ownership.holds(id)) {
        continue;
      }
      boolean urgent = recreate.contains(id) || renewNow.contains(id);
      Instant retry = retryAt.get(id);
      if (!urgent && retry != null && now.isBefore(retry)) {
        continue;
      }
      GraphSubscriptions.Row row = rows.get(id);
      boolean wanted = url.isPresent() && synced.contains(id)
          && (a.state() == AccountState.CONNECTED || a.state() == AccountState.PAUSED);
      if (!wanted) {
        recreate.remove(id);
        renewNow.remove(id);
        if (row != null) {
          work.add(() -> attempt(id, () -> delete(id, row)));
        }
      } else if (row == null || recreate.remove(id) || !row.notificationUrl().equals(url.get())) {
        work.add(() -> attempt(id, () -> replace(id, row, url.get())));
      } else if (renewNow.remove(id) || Duration.between(now, row.expiresAt()).compareTo(settings.renewBefore()) < 0) {
        work.add(() -> attempt(id, () -> renew(id, row, url.get())));
      }
    }
    List<Future<?>> running = new ArrayList<>();
    for (Runnable r : work) {
      running.add(pool.submit(r));
    }
    for (Future<?> f : running) {
      try {
        f.get();
      } catch (ExecutionException e) {
        LOG.atWarn().setCause(e.getCause()).log("a subscription task failed");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @FunctionalInterface
  private interface Task {
    void run() throws SQLException;
  }

  /** One account's subscription work; a failure makes that account wait 1, 2, 4 ... 60 minutes, others go on. */
  private void attempt(long accountId, Task task) {
    try {
      task.run();
      failures.remove(accountId);
      retryAt.remove(accountId);
    } catch (SQLException | RuntimeException e) {
      int n = failures.merge(accountId, 1, Integer::sum);
      Duration wait = RETRY_BASE.multipliedBy(1L << Math.min(n - 1, 6));
      wait = wait.compareTo(RETRY_MAX) > 0 ? RETRY_MAX : wait;
      retryAt.put(accountId, clock.instant().plus(wait));
      LOG.atWarn().addKeyValue("account", accountId).addKeyValue("failures", n).addKeyValue("retry_in_s", wait.toSeconds())
          .addKeyValue("error", e.getMessage()).log("Graph subscription work failed; the fallback interval keeps the account synced");
    }
  }

  private SubscriptionGateway gateway(long accountId) {
    return graph.of(accountId).orElseThrow(() -> new IllegalStateException("Microsoft and Odoo settings are not complete yet"));
  }

  private void replace(long accountId, GraphSubscriptions.Row old, String url) throws SQLException {
    SubscriptionGateway g = gateway(accountId);
    if (old != null) {
      g.delete(old.subscriptionId());
      store.subscriptions().delete(old.subscriptionId());
      expiries.remove(accountId);
    }
    String clientState = newClientState();
    SubscriptionGateway.Made made = g.create(RESOURCE, CHANGE_TYPES, url, url, clientState, clock.instant().plus(settings.lifetime()));
    store.subscriptions().save(accountId, made.id(), url, clientState, made.expiresAt());
    expiries.put(accountId, made.expiresAt());
    silent.remove(accountId); // Graph just reached our webhook for the handshake
    LOG.atInfo().addKeyValue("account", accountId).addKeyValue("subscription", made.id()).addKeyValue("expires", made.expiresAt())
        .log("Graph subscription created");
  }

  private void renew(long accountId, GraphSubscriptions.Row row, String url) throws SQLException {
    Optional<SubscriptionGateway.Made> renewed = gateway(accountId).renew(row.subscriptionId(), clock.instant().plus(settings.lifetime()), null);
    if (renewed.isEmpty()) {
      LOG.atInfo().addKeyValue("account", accountId).addKeyValue("subscription", row.subscriptionId())
          .log("Graph no longer has the subscription; creating another, and syncing in case changes were missed");
      store.subscriptions().delete(row.subscriptionId());
      expiries.remove(accountId);
      replace(accountId, null, url);
      sink.changed(accountId, Trigger.GRAPH);
      return;
    }
    store.subscriptions().renewed(row.subscriptionId(), url, renewed.get().expiresAt());
    expiries.put(accountId, renewed.get().expiresAt());
    LOG.atInfo().addKeyValue("account", accountId).addKeyValue("subscription", row.subscriptionId())
        .addKeyValue("expires", renewed.get().expiresAt()).log("Graph subscription renewed");
  }

  /** Deletes at Graph where it can; the row goes unless Graph was merely unreachable (then it is tried again). */
  private void delete(long accountId, GraphSubscriptions.Row row) throws SQLException {
    try {
      gateway(accountId).delete(row.subscriptionId());
    } catch (GraphUnavailableException | GraphThrottledException e) {
      throw e;
    } catch (RuntimeException e) {
      // No token (signed out, must sign in again) or refused: Graph drops the subscription when it expires.
      LOG.atInfo().addKeyValue("account", accountId).addKeyValue("subscription", row.subscriptionId())
          .addKeyValue("error", e.getMessage()).log("the subscription could not be deleted at Graph; it lapses at its expiry");
    }
    store.subscriptions().delete(row.subscriptionId());
    expiries.remove(accountId);
    LOG.atInfo().addKeyValue("account", accountId).addKeyValue("subscription", row.subscriptionId()).log("Graph subscription deleted");
  }

  /** 32 random bytes: Graph allows 128 characters; this proves a notification came from Graph for this subscription. */
  static String newClientState() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  @Override
  public void close() {
    closed = true;
    wake();
    pool.shutdown();
    try {
      thread.join(Duration.ofSeconds(3).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
