package io.outlooksync.sidecar.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The store's connections: a small fixed pool over HSQLDB (embedded file database, one sidecar) or PostgreSQL
 * (several sidecars), and transactions around units of work. A hundred lines instead of a pool library: the
 * sidecar needs a handful of connections and nothing more.
 */
public final class Database implements AutoCloseable {
  /** One unit of work on a connection. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private static final long BORROW_TIMEOUT_SECONDS = 30;

  private final String url;
  private final Properties credentials;
  private final Dialect dialect;
  private final BlockingQueue<Connection> idle;
  private final List<Connection> all = new ArrayList<>();
  private final int size;
  private volatile boolean closed;
  private boolean readOnly;

  private Database(String url, String user, String password, int size) {
    this.url = url;
    this.dialect = Dialect.of(url);
    this.credentials = new Properties();
    if (user != null) {
      credentials.setProperty("user", user);
    }
    if (password != null) {
      credentials.setProperty("password", password);
    }
    this.size = size;
    this.idle = new ArrayBlockingQueue<>(size);
  }

  /** A PostgreSQL or HSQLDB database by JDBC URL. */
  public static Database open(String url, String user, String password, int poolSize) throws SQLException {
    Database db = new Database(url, user, password, poolSize);
    db.release(db.connect()); // fail now, with a clear error, rather than at the first sync
    return db;
  }

  /**
   * The embedded store under {@code dataDir/store}. HSQLDB holds a lock file: a second process opening the
   * same files waits about 10 s and then fails, so only the running sidecar opens them.
   */
  public static Database embedded(Path dataDir) throws SQLException {
    Path file = dataDir.resolve("store").resolve("outlook-sync").toAbsolutePath();
    String url = "jdbc:hsqldb:file:" + file + ";hsqldb.tx=mvcc;hsqldb.write_delay=false;hsqldb.lob_compressed=true";
    return open(url, "SA", "", 4);
  }

  /**
   * The embedded store under {@code dataDir/store}, read-only, for a post-mortem while the sidecar is stopped:
   * HSQLDB's {@code readonly=true} writes nothing, and closing it does not shut the database down (which
   * would write). The caller checks first that no sidecar holds the files ({@link StoreLock}).
   */
  public static Database embeddedReadOnly(Path dataDir) throws SQLException {
    Path file = dataDir.resolve("store").resolve("outlook-sync").toAbsolutePath();
    Database db = new Database("jdbc:hsqldb:file:" + file + ";readonly=true;ifexists=true", "SA", "", 2);
    db.readOnly = true;
    db.release(db.connect());
    return db;
  }

  public Dialect dialect() {
    return dialect;
  }

  /** Runs {@code work} in a transaction: committed when it returns, rolled back when it throws. */
  public <T> T transaction(Work<T> work) throws SQLException {
    Connection c = borrow();
    boolean broken = false;
    try {
      c.setAutoCommit(false);
      T result = work.run(c);
      c.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException rollback) {
        broken = true;
        e.addSuppressed(rollback);
      }
      if (e instanceof SQLException s && isConnectionError(s)) {
        broken = true;
      }
      throw e;
    } finally {
      if (broken) {
        discard(c);
      } else {
        release(c);
      }
    }
  }

  private Connection borrow() throws SQLException {
    if (closed) {
      throw new SQLException("the store is closed");
    }
    Connection c = idle.poll();
    if (c != null) {
      return c;
    }
    synchronized (all) {
      if (all.size() < size) {
        return connect();
      }
    }
    try {
      c = idle.poll(BORROW_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for a store connection", e);
    }
    if (c == null) {
      throw new SQLException("no store connection free after " + BORROW_TIMEOUT_SECONDS + " s");
    }
    return c;
  }

  private Connection connect() throws SQLException {
    Connection c;
    try {
      c = DriverManager.getConnection(url, credentials);
    } catch (SQLException e) {
      throw new SQLException("cannot open the store at " + Dialect.redact(url) + ": " + e.getMessage(), e.getSQLState(), e);
    }
    synchronized (all) {
      all.add(c);
    }
    return c;
  }

  private void release(Connection c) {
    if (closed || !idle.offer(c)) {
      discard(c);
    }
  }

  private void discard(Connection c) {
    synchronized (all) {
      all.remove(c);
    }
    try {
      c.close();
    } catch (SQLException ignored) {
      // already broken
    }
  }

  private static boolean isConnectionError(SQLException e) {
    String state = e.getSQLState();
    return state != null && state.startsWith("08");
  }

  @Override
  public void close() throws SQLException {
    closed = true;
    if (dialect == Dialect.HSQLDB && !readOnly) {
      // An explicit SHUTDOWN writes the files cleanly, so the next start does not wait for a stale lock.
      try (Connection c = DriverManager.getConnection(url, credentials); Statement s = c.createStatement()) {
        s.execute("SHUTDOWN");
      }
    }
    synchronized (all) {
      for (Connection c : new ArrayList<>(all)) {
        try {
          c.close();
        } catch (SQLException ignored) {
          // shutting down
        }
      }
      all.clear();
    }
    idle.clear();
  }
}
