package io.outlooksync.sidecar.app;

import io.outlooksync.sidecar.store.PeerChannel;
import io.outlooksync.sidecar.store.Store;
import io.outlooksync.sidecar.sync.ChangeSink;
import io.outlooksync.sidecar.sync.LeaseKeeper;
import io.outlooksync.sidecar.sync.SubscriptionKeeper;
import io.outlooksync.sidecar.sync.SyncScheduler;
import io.outlooksync.sidecar.sync.Trigger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sidecar among several on a PostgreSQL store (docs/scale-out.md): its leases ({@link LeaseKeeper}) decide
 * which accounts its scheduler and subscription keeper look after, and the peer channel carries what arrives at
 * the wrong sidecar (an announcement, a Graph notification, a lifecycle event, a Sync now) to the one holding
 * the account. Messages: {@code odoo 42}, {@code graph 42}, {@code lifecycle:missed 42}, {@code release:<asking sidecar> 42}.
 */
final class ScaleOut implements LeaseKeeper.Hooks, SubscriptionKeeper.Forward, ChangeSink, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ScaleOut.class);

  private final LeaseKeeper leases;
  private final SyncScheduler scheduler;
  private final SubscriptionKeeper subscriptions;
  private PeerChannel channel;

  private ScaleOut(LeaseKeeper leases, SyncScheduler scheduler, SubscriptionKeeper subscriptions) {
    this.leases = leases;
    this.scheduler = scheduler;
    this.subscriptions = subscriptions;
  }

  /** Joins the sidecars on {@code store}: listens to the peers, takes a first share of the accounts. */
  static ScaleOut join(Store store, Duration ttl, SyncScheduler scheduler, SubscriptionKeeper subscriptions) throws SQLException {
    ScaleOut s = new ScaleOut(new LeaseKeeper(store.leases(), instanceId(), ttl), scheduler, subscriptions);
    scheduler.ownedBy(s.leases);
    subscriptions.ownedBy(s.leases).forwardingTo(s);
    s.channel = PeerChannel.open(store.database(), s::heard);
    try {
      s.leases.start(s);
    } catch (SQLException | RuntimeException e) {
      s.channel.close();
      throw e;
    }
    LOG.atInfo().addKeyValue("instance", s.leases.instance()).addKeyValue("lease_s", ttl.toSeconds())
        .addKeyValue("accounts", s.leases.held().size()).log("joined the sidecars sharing the store");
    return s;
  }

  /** Host, process and a random part: unique among the sidecars, readable in the lease rows. */
  static String instanceId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "host";
    }
    byte[] r = new byte[3];
    new SecureRandom().nextBytes(r);
    String id = host + "-" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(r);
    return id.length() > 100 ? id.substring(id.length() - 100) : id;
  }

  LeaseKeeper leases() {
    return leases;
  }

  /** Takes the account here for a caller (Sync now, Reset), waiting up to {@code wait} for its holder to let go. */
  boolean acquire(long accountId, Duration wait) throws SQLException {
    return leases.acquire(accountId, wait);
  }

  /** A change of an account another sidecar holds: tell it. */
  @Override
  public void changed(long accountId, Trigger trigger) {
    send(trigger.label() + " " + accountId);
  }

  @Override
  public void lifecycle(long accountId, String lifecycleEvent) {
    send("lifecycle:" + lifecycleEvent + " " + accountId);
  }

  @Override
  public boolean surrender(long accountId) {
    return scheduler.surrender(accountId);
  }

  @Override
  public void gained() {
    scheduler.wake();
    subscriptions.wake();
  }

  @Override
  public void askRelease(long accountId) {
    send("release:" + leases.instance() + " " + accountId);
  }

  private void send(String message) {
    try {
      channel.send(message);
    } catch (SQLException e) {
      LOG.atWarn().addKeyValue("error", e.getMessage()).log("a peer message could not be sent; the fallback interval covers it");
    }
  }

  /** Every sidecar hears every message; the one holding the account acts. */
  private void heard(String message) {
    int space = message.indexOf(' ');
    if (space < 0) {
      return;
    }
    String kind = message.substring(0, space);
    long account;
    try {
      account = Long.parseLong(message.substring(space + 1));
    } catch (NumberFormatException e) {
      return;
    }
    if (kind.startsWith("release:")) {
      leases.handOverOnRequest(account, kind.substring("release:".length()));
      return;
    }
    if (!leases.holds(account)) {
      return;
    }
    switch (kind) {
      case "odoo" -> scheduler.changed(account, Trigger.ODOO);
      case "graph" -> {
        scheduler.changed(account, Trigger.GRAPH);
        subscriptions.heard(account);
      }
      default -> {
        if (kind.startsWith("lifecycle:")) {
          subscriptions.handle(account, kind.substring("lifecycle:".length()));
        }
      }
    }
  }

  /** Stops listening and frees every lease at once (called after the runs under way ended). */
  @Override
  public void close() {
    channel.close();
    leases.close();
  }
}
