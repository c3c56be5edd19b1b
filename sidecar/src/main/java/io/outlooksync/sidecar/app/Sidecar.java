package io.outlooksync.sidecar.app;

import io.outlooksync.sidecar.api.ApiServer;
import io.outlooksync.sidecar.api.Endpoints;
import io.outlooksync.sidecar.api.Metrics;
import io.outlooksync.sidecar.api.SchedulerMetrics;
import io.outlooksync.sidecar.api.SignInEndpoints;
import io.outlooksync.sidecar.api.WorkQueue;
import io.outlooksync.sidecar.store.Database;
import io.outlooksync.sidecar.store.Dialect;
import io.outlooksync.sidecar.store.SecretBox;
import io.outlooksync.sidecar.store.Store;
import io.outlooksync.sidecar.sync.ChangeRouter;
import io.outlooksync.sidecar.sync.OutlookBacklog;
import io.outlooksync.sidecar.sync.Ownership;
import io.outlooksync.sidecar.sync.SubscriptionKeeper;
import io.outlooksync.sidecar.sync.SyncScheduler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running sidecar: the store, the effective configuration, the API server, and the sync scheduler with the
 * consumer of the work queue that feeds it, wired.
 */
public final class Sidecar implements AutoCloseable {
  static final Duration SHUTDOWN_DEADLINE = Duration.ofSeconds(10);
  static final int QUEUE_CAPACITY = 10_000;
  /** Longer than any sync run lasts: a RUNNING run this old on a shared store belongs to a sidecar that stopped. */
  static final Duration PEER_RUN_LIMIT = Duration.ofHours(1);
  private static final Logger LOG = LoggerFactory.getLogger(Sidecar.class);

  private final Store store;
  private final LiveSetup setup;
  private final WorkQueue queue;
  private final ApiServer server;
  private final MicrosoftAccess microsoft;
  private final SyncScheduler scheduler;
  private final WorkConsumer consumer;
  private final SubscriptionKeeper subscriptions;
  /** Null for a sidecar alone on its store. */
  private final ScaleOut scaleOut;
  private boolean closed;

  private Sidecar(Store store, LiveSetup setup, WorkQueue queue, ApiServer server, MicrosoftAccess microsoft, SyncScheduler scheduler,
                  WorkConsumer consumer, SubscriptionKeeper subscriptions, ScaleOut scaleOut) {
    this.store = store;
    this.setup = setup;
    this.queue = queue;
    this.server = server;
    this.microsoft = microsoft;
    this.scheduler = scheduler;
    this.consumer = consumer;
    this.subscriptions = subscriptions;
    this.scaleOut = scaleOut;
  }

  /** Opens the store (creating the data directory and key file on first start) and starts serving. */
  public static Sidecar start(Config config) throws IOException, SQLException {
    return start(config, Clock.systemUTC());
  }

  /** As {@link #start(Config)}, with the subscription keeper on {@code subscriptionClock} (tests move it). */
  static Sidecar start(Config config, Clock subscriptionClock) throws IOException, SQLException {
    Store store = openStore(config);
    ScaleOut scaleOut = null;
    SubscriptionKeeper subscriptions = null;
    try {
      abandonRunsCutOff(store, config.get(Key.DB_URL).isPresent());
      // A run killed with the process left its file of new Outlook events; the next run reads them again from Graph.
      OutlookBacklog.deleteLeftovers(LiveSync.spillDir(config));
      LiveSetup setup = new LiveSetup(config, store);
      WorkQueue queue = new WorkQueue(QUEUE_CAPACITY);
      MicrosoftAccess microsoft = new MicrosoftAccess(store, setup::current, Clock.systemUTC());
      Metrics metrics = new Metrics();
      SchedulerMetrics schedulerMetrics = new SchedulerMetrics(metrics);
      LiveSync live = new LiveSync(store, setup::current, microsoft, Clock.systemUTC());
      SyncScheduler scheduler = new SyncScheduler(store, live::runner, config.scheduleSettings(), Clock.systemUTC(), schedulerMetrics);
      schedulerMetrics.watch(scheduler);
      subscriptions = new SubscriptionKeeper(store, live::subscriptions, () -> setup.current().get(Key.PUBLIC_BASE_URL), scheduler,
          subscriptionClock, config.subscriptionSettings());
      scheduler.intervals(subscriptions::interval);
      if (store.database().dialect() == Dialect.POSTGRESQL) {
        scaleOut = ScaleOut.join(store, config.leaseTtl(), scheduler, subscriptions);
      }
      ScaleOut shared = scaleOut;
      Ownership ownership = shared == null ? Ownership.EVERYTHING : shared.leases();
      ScheduledSync.Lease lease = shared == null ? id -> true : id -> shared.acquire(id, config.scheduleSettings().callerWait());
      Endpoints endpoints = new Endpoints(store, setup, queue, metrics, Clock.systemUTC(), version(),
          new SignInEndpoints(microsoft), new ScheduledSync(live, scheduler, lease));
      ApiServer server = ApiServer.start(config.listen(), endpoints);
      scheduler.start();
      subscriptions.start();
      ChangeDelivery delivery = new ChangeDelivery(scheduler, subscriptions, ownership, shared == null ? scheduler : shared);
      WorkConsumer consumer = new WorkConsumer(queue, new ChangeRouter(store, live::odoo), delivery, subscriptions, schedulerMetrics).start();
      return new Sidecar(store, setup, queue, server, microsoft, scheduler, consumer, subscriptions, scaleOut);
    } catch (IOException | SQLException | RuntimeException e) {
      if (subscriptions != null) {
        subscriptions.close();
      }
      if (scaleOut != null) {
        scaleOut.close();
      }
      store.close();
      throw e;
    }
  }

  /**
   * Marks the runs a crash or kill cut off (still RUNNING) as abandoned. On a shared PostgreSQL store another
   * sidecar's run may be under way, so only runs older than {@link #PEER_RUN_LIMIT} are taken for cut off there.
   */
  private static void abandonRunsCutOff(Store store, boolean shared) throws SQLException {
    Instant before = shared ? Instant.now().minus(PEER_RUN_LIMIT) : Instant.now();
    int runs = store.syncRuns().abandonUnfinished(before);
    if (runs > 0) {
      LOG.atWarn().addKeyValue("runs", runs).log("runs cut off when the sidecar last stopped are marked ABANDONED; the next runs read their changes again");
    }
  }

  static Store openStore(Config config) throws IOException, SQLException {
    SecretBox box;
    if (config.get(Key.SECRET_KEYS).isPresent()) {
      box = SecretBox.fromSpec(config.get(Key.SECRET_KEYS).get());
    } else {
      box = SecretBox.fromFile(config.secretKeyFile());
    }
    Database db;
    if (config.get(Key.DB_URL).isPresent()) {
      db = Database.open(config.get(Key.DB_URL).get(), config.get(Key.DB_USER).orElse(null),
          config.get(Key.DB_PASSWORD).orElse(null), 8);
    } else {
      Files.createDirectories(config.dataDir());
      db = Database.embedded(config.dataDir());
    }
    return Store.open(db, box, Clock.systemUTC());
  }

  static String version() {
    String v = Sidecar.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  public InetSocketAddress address() {
    return server.address();
  }

  public Store store() {
    return store;
  }

  public WorkQueue queue() {
    return queue;
  }

  Config config() {
    return setup.current();
  }

  MicrosoftAccess microsoft() {
    return microsoft;
  }

  SyncScheduler scheduler() {
    return scheduler;
  }

  SubscriptionKeeper subscriptions() {
    return subscriptions;
  }

  /** This sidecar's leases on a shared PostgreSQL store; null when it is alone on its store. */
  ScaleOut scaleOut() {
    return scaleOut;
  }

  /**
   * Starts no more runs, stops accepting requests, lets requests and runs finish (up to one deadline for all),
   * then closes the store so HSQLDB writes cleanly. A run still going then fails on the closed store; its
   * account's cursors have not moved, so the next start reads its changes again.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    Instant deadline = Instant.now().plus(SHUTDOWN_DEADLINE);
    consumer.close();
    subscriptions.close();
    scheduler.stopDispatching();
    int unfinished = server.stop(SHUTDOWN_DEADLINE);
    scheduler.awaitRuns(deadline);
    if (scaleOut != null) {
      scaleOut.close(); // after the runs: the peers may take the accounts at once
    }
    if (unfinished > 0) {
      LOG.atWarn().addKeyValue("requests", unfinished).log("requests still running at the shutdown deadline were cut off");
    }
    try {
      store.close();
    } catch (SQLException e) {
      LOG.atError().setCause(e).log("closing the store failed");
    }
  }
}
