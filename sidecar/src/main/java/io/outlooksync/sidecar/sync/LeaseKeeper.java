package io.outlooksync.sidecar.sync;

import io.outlooksync.sidecar.store.Leases;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This sidecar's share of the accounts when several share one PostgreSQL store. Every third of a lease it
 * beats, renews the leases it holds, and evens out: it takes free or expired leases up to its fair share
 * (accounts / sidecars alive), or gives back what it holds above that share, except accounts running now. A
 * sidecar that dies stops renewing; its leases expire and the others take them over. Before each run the
 * lease is confirmed in the store ({@link #confirm}), so an account is never synced by a sidecar whose lease
 * has lapsed.
 */
public final class LeaseKeeper implements Ownership, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);
  private static final Duration ACQUIRE_POLL = Duration.ofMillis(200);
  private static final Duration ASK_AGAIN = Duration.ofSeconds(1);

  /** Who must let an account go before it is released: the scheduler, which refuses while the account runs. */
  public interface Hooks {
    /** True when the account can go (not running); it is then no longer scheduled here. */
    boolean surrender(long accountId);

    /** Accounts were gained: schedule them (each is due at once, to catch up). */
    void gained();

    /** Ask the sidecar holding {@code accountId} to let it go (a Sync now arrived here). */
    void askRelease(long accountId);
  }

  private final Leases leases;
  private final String instance;
  private final Duration ttl;
  private final Set<Long> held = ConcurrentHashMap.newKeySet();
  private final Thread thread;
  private volatile Hooks hooks;
  private volatile boolean closed;
  private final Object wake = new Object();

  public LeaseKeeper(Leases leases, String instance, Duration ttl) {
    this.leases = leases;
    this.instance = instance;
    this.ttl = ttl;
    this.thread = new Thread(this::loop, "lease-keeper");
    this.thread.setDaemon(true);
  }

  public String instance() {
    return instance;
  }

  public Duration ttl() {
    return ttl;
  }

  /** Beats once and takes a first share (so the sidecar starts with accounts), then keeps doing so. */
  public LeaseKeeper start(Hooks h) throws SQLException {
    this.hooks = h;
    tick();
    thread.start();
    return this;
  }

  @Override
  public boolean holds(long accountId) {
    return held.contains(accountId);
  }

  @Override
  public boolean confirm(long accountId) {
    if (!held.contains(accountId)) {
      return false;
    }
    try {
      if (leases.confirm(instance, ttl, accountId)) {
        return true;
      }
    } catch (SQLException e) {
      LOG.atWarn().addKeyValue("account", accountId).addKeyValue("error", e.getMessage()).log("cannot confirm the lease; not running");
      return false;
    }
    held.remove(accountId);
    LOG.atWarn().addKeyValue("account", accountId).log("lease lost to another sidecar; not running the account here");
    return false;
  }

  /** The accounts held now, for tests and metrics. */
  public Set<Long> held() {
    return new TreeSet<>(held);
  }

  /**
   * Takes the account's lease for a caller here (Sync now, Reset): at once when free, expired or ours; otherwise
   * asks its holder to let it go and waits up to {@code wait}. False when it is still held elsewhere.
   */
  public boolean acquire(long accountId, Duration wait) throws SQLException {
    long until = System.nanoTime() + wait.toNanos();
    long nextAsk = System.nanoTime();
    while (true) {
      if (leases.claimOne(instance, ttl, accountId)) {
        if (held.add(accountId)) {
          hooks.gained();
        }
        return true;
      }
      // Asked again every second: a sidecar that took the lease after the first ask never heard it.
      if (System.nanoTime() >= nextAsk) {
        hooks.askRelease(accountId);
        nextAsk = System.nanoTime() + ASK_AGAIN.toNanos();
      }
      if (System.nanoTime() > until) {
        return false;
      }
      try {
        Thread.sleep(ACQUIRE_POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /**
   * Sidecar {@code to} asks for the account (a Sync now reached it): hand the lease straight over, unless the
   * account runs here (then {@code to} waits). Handed over, not freed: a free lease could be taken by a third.
   */
  public void handOverOnRequest(long accountId, String to) {
    if (to.equals(instance) || !held.remove(accountId)) {
      return;
    }
    if (!hooks.surrender(accountId)) {
      held.add(accountId);
      return;
    }
    try {
      leases.handOver(instance, accountId, to, ttl);
    } catch (SQLException e) {
      LOG.atWarn().addKeyValue("account", accountId).addKeyValue("error", e.getMessage()).log("handing a lease over failed; it expires instead");
    }
  }

  private List<Long> release(List<Long> candidates) {
    List<Long> gone = new ArrayList<>();
    for (long id : candidates) {
      if (held.remove(id)) {
        if (hooks.surrender(id)) {
          gone.add(id);
        } else {
          held.add(id); // running: it stays until the next look
        }
      }
    }
    try {
      leases.release(instance, gone);
    } catch (SQLException e) {
      // Not released in the store: they expire within a lease instead, and nobody runs them here meanwhile.
      LOG.atWarn().addKeyValue("error", e.getMessage()).log("releasing leases failed; they expire instead");
    }
    return gone;
  }

  private void loop() {
    while (!closed) {
      synchronized (wake) {
        try {
          wake.wait(Math.max(100, ttl.toMillis() / 3));
        } catch (InterruptedException e) {
          return;
        }
      }
      if (closed) {
        return;
      }
      try {
        tick();
      } catch (SQLException | RuntimeException e) {
        LOG.atWarn().setCause(e).log("lease upkeep failed; trying again");
      }
    }
  }

  /** One beat: renew, then even out against the fair share. */
  void tick() throws SQLException {
    leases.beat(instance);
    Set<Long> renewed = leases.renew(instance, ttl);
    held.retainAll(renewed); // a lease taken over while we were late is no longer ours
    held.addAll(renewed);
    int live = Math.max(1, leases.liveInstances(ttl));
    int total = leases.accounts();
    int share = (total + live - 1) / live;
    if (held.size() > share) {
      List<Long> excess = new ArrayList<>(new TreeSet<>(held).descendingSet()).subList(0, held.size() - share);
      List<Long> gone = release(new ArrayList<>(excess));
      if (!gone.isEmpty()) {
        LOG.atInfo().addKeyValue("released", gone.size()).addKeyValue("share", share).addKeyValue("sidecars", live)
            .log("leases given back to even out the sidecars");
      }
    } else if (held.size() < share) {
      Set<Long> got = leases.claim(instance, ttl, share - held.size());
      if (!got.isEmpty()) {
        held.addAll(got);
        LOG.atInfo().addKeyValue("claimed", got.size()).addKeyValue("held", held.size()).addKeyValue("share", share)
            .addKeyValue("sidecars", live).log("leases taken");
        hooks.gained();
      }
    }
  }

  /** Clean stop: every lease freed at once, so the other sidecars take over without waiting for expiry. */
  @Override
  public void close() {
    closed = true;
    synchronized (wake) {
      wake.notifyAll();
    }
    try {
      thread.join(3000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      leases.leave(instance);
      held.clear();
    } catch (SQLException e) {
      LOG.atWarn().addKeyValue("error", e.getMessage()).log("could not free the leases; they expire instead");
    }
  }
}
