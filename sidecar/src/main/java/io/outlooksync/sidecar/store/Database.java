package io.outlooksync.sidecar.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
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
  /** Released after the database is shut down: the embedded store's {@link StoreLock}. */
  private StoreLock held;
  /** The embedded store's directory, whose free space is checked before each commit; null for a server. */
  private Path files;
  /**
   * Below this much free space in its directory the embedded store refuses to commit. HSQLDB does not fail a
   * commit whose log line it could not write (found by the fault matrix's disk-full case: a full disk lost a
   * whole run's journal and mappings while the run answered success); refusing first makes the failure seen.
   */
  static final long MIN_FREE_BYTES = 16L * 1024 * 1024;

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
   * The embedded store under {@code dataDir/store}. A second process opening the same files fails at once
   * ({@link StoreLock}); HSQLDB's own heartbeat lock file is off, since after a crash it would hold the next start
   * back for about ten seconds. Its tables are CACHED (see {@link #keepTablesOnDisk}).
   */
  /** HSQLDB's cache of CACHED rows, in KB (see {@link #keepTablesOnDisk}). */
  static final int CACHE_KB = 40 * 1024;

  public static Database embedded(Path dataDir) throws SQLException {
    Path dir = dataDir.resolve("store").toAbsolutePath();
    StoreLock lock = StoreLock.acquire(dir.resolve("outlook-sync.lock"));
    String url = "jdbc:hsqldb:file:" + dir.resolve("outlook-sync")
        + ";hsqldb.tx=mvcc;hsqldb.write_delay=false;hsqldb.lob_compressed=true;hsqldb.lock_file=false";
    try {
      Database db = open(url, "SA", "", 4);
      db.held = lock;
      db.files = dir;
      db.keepTablesOnDisk();
      return db;
    } catch (SQLException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /**
   * The embedded store under {@code dataDir/store}, read-only, for a post-mortem while the sidecar is stopped:
   * HSQLDB's {@code readonly=true} writes nothing, and closing it does not shut the database down (which
   * would write). It takes the same {@link StoreLock} as a running sidecar, so it refuses while one runs, and
   * no sidecar starts on the files while it looks.
   */
  public static Database embeddedReadOnly(Path dataDir) throws SQLException {
    Path dir = dataDir.resolve("store").toAbsolutePath();
    StoreLock lock = StoreLock.acquire(dir.resolve("outlook-sync.lock"));
    try {
      Database db = new Database("jdbc:hsqldb:file:" + dir.resolve("outlook-sync") + ";readonly=true;ifexists=true;hsqldb.lock_file=false",
          "SA", "", 2);
      db.readOnly = true;
      db.held = lock;
      db.release(db.connect());
      return db;
    } catch (SQLException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /**
   * Makes every table of the embedded store CACHED, and so the tables made later by migrations. HSQLDB reads a
   * MEMORY table's every row from its script when it opens the database, which made the start grow with the
   * accounts (6 s at 1,000 users); a CACHED table stays in its data file and is read as it is used, with a
   * bounded cache. A store made before is converted once, on its first start with this build.
   */
  private void keepTablesOnDisk() throws SQLException {
    transaction(c -> {
      List<String> memory = new ArrayList<>();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.system_tables "
          + "WHERE table_schem = 'PUBLIC' AND hsqldb_type = 'MEMORY'")) {
        while (rs.next()) {
          memory.add(rs.getString(1));
        }
      }
      try (Statement s = c.createStatement()) {
        // The cache must hold a row whole, twice while an update replaces it: a journal row at its caps
        // (RunRecord) needs 34 MB in the worst case, over HSQLDB's default of 10 MB.
        s.execute("SET FILES CACHE SIZE " + CACHE_KB);
        s.execute("SET DATABASE DEFAULT TABLE TYPE CACHED");
        for (String table : memory) {
          s.execute("SET TABLE PUBLIC.\"" + table.replace("\"", "\"\"") + "\" TYPE CACHED");
        }
      }
      return null;
    });
  }

  /** Refuses (SQLSTATE 53100, disk full) when the embedded store's directory is short of space. */
  private void requireSpace() throws SQLException {
    if (files == null) {
      return;
    }
    long free;
    try {
      free = java.nio.file.Files.getFileStore(files).getUsableSpace();
    } catch (java.io.IOException e) {
      throw new SQLException("cannot tell the free space of the data directory: " + e.getMessage(), "58030", e);
    }
    if (free < MIN_FREE_BYTES) {
      throw new SQLException("the data directory is full (" + free / 1024 + " KiB free, at least " + MIN_FREE_BYTES / (1024 * 1024)
          + " MiB needed): nothing is written until room is made", "53100");
    }
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
      requireSpace();
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

  /**
   * A connection of its own, outside the pool, for a caller that keeps it open (PostgreSQL's LISTEN lives on one
   * session). The caller closes it.
   */
  public Connection dedicatedConnection() throws SQLException {
    if (closed) {
      throw new SQLException("the store is closed");
    }
    try {
      return DriverManager.getConnection(url, credentials);
    } catch (SQLException e) {
      throw new SQLException("cannot open the store at " + Dialect.redact(url) + ": " + e.getMessage(), e.getSQLState(), e);
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
    try {
      if (dialect == Dialect.HSQLDB && !readOnly) {
        // An explicit SHUTDOWN folds the log into the data file, so the next start has nothing to replay.
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
    } finally {
      if (held != null) {
        held.close();
        held = null;
      }
    }
  }
}
