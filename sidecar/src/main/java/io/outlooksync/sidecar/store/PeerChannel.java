package io.outlooksync.sidecar.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages between the sidecars sharing a PostgreSQL store, over {@code LISTEN}/{@code NOTIFY} on one channel:
 * every sidecar hears every message and acts on those about accounts it holds. No sidecar needs another's
 * address, so each keeps listening on loopback only. Messages are short ids ("graph 42"), never content.
 * {@code NOTIFY} is not stored: a message sent while a sidecar is reconnecting is lost, which the fallback
 * interval covers (it only makes a run come sooner).
 */
public final class PeerChannel implements AutoCloseable {
  static final String CHANNEL = "outlook_sync_peers";
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Logger LOG = LoggerFactory.getLogger(PeerChannel.class);

  private final Database db;
  private final Consumer<String> listener;
  private final Thread thread;
  private volatile boolean closed;
  private volatile Connection session;

  private PeerChannel(Database db, Consumer<String> listener) {
    this.db = db;
    this.listener = listener;
    this.thread = new Thread(this::listen, "peer-channel");
    this.thread.setDaemon(true);
  }

  /** Starts listening; {@code listener} is called on the channel's thread for every message, ours included. */
  public static PeerChannel open(Database db, Consumer<String> listener) throws SQLException {
    if (db.dialect() != Dialect.POSTGRESQL) {
      throw new IllegalStateException("the peer channel needs a PostgreSQL store");
    }
    PeerChannel ch = new PeerChannel(db, listener);
    ch.session = ch.subscribe();
    ch.thread.start();
    return ch;
  }

  /** Sends one message to every sidecar on the store (at most 8000 bytes, PostgreSQL's limit). */
  public void send(String message) throws SQLException {
    db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT pg_notify(?, ?)")) {
        p.setString(1, CHANNEL);
        p.setString(2, message);
        p.execute();
      }
      return null;
    });
  }

  private Connection subscribe() throws SQLException {
    Connection c = db.dedicatedConnection();
    try (Statement s = c.createStatement()) {
      s.execute("LISTEN " + CHANNEL);
    }
    return c;
  }

  private void listen() {
    while (!closed) {
      try {
        if (session == null) {
          session = subscribe();
          LOG.atInfo().log("peer channel listening again");
        }
        PGNotification[] got = session.unwrap(PGConnection.class).getNotifications((int) POLL.toMillis());
        if (got == null) {
          continue;
        }
        for (PGNotification n : got) {
          try {
            listener.accept(n.getParameter());
          } catch (RuntimeException e) {
            LOG.atWarn().setCause(e).log("a peer message could not be handled");
          }
        }
      } catch (SQLException e) {
        if (closed) {
          return;
        }
        LOG.atWarn().addKeyValue("error", e.getMessage()).log("peer channel lost its session; reconnecting");
        closeQuietly();
        sleep();
      }
    }
  }

  private void closeQuietly() {
    Connection c = session;
    session = null;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // already broken
      }
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      thread.join(POLL.multipliedBy(3).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeQuietly();
  }
}
