package io.outlooksync.sidecar.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The real PostgreSQL the store tests run against (127.0.0.1:5432 as {@code postgres} unless the
 * {@code OUTLOOK_SYNC_TEST_PG*} variables say otherwise), with a throwaway database per test. Where it cannot
 * be reached the tests are skipped with a printed reason, except in CI ({@code CI=true}), where that fails:
 * the scale-out work builds on these tests.
 */
public final class TestPostgres {
  static final String ADMIN_URL = System.getenv().getOrDefault("OUTLOOK_SYNC_TEST_PG", "jdbc:postgresql://127.0.0.1:5432/postgres");
  static final String USER = System.getenv().getOrDefault("OUTLOOK_SYNC_TEST_PG_USER", "postgres");
  static final String PASSWORD = System.getenv().getOrDefault("OUTLOOK_SYNC_TEST_PG_PASSWORD", "");

  private TestPostgres() {}

  /** Skips (or in CI fails) the calling test class when PostgreSQL is unreachable. */
  public static void require(String testClass) {
    try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD)) {
      c.isValid(2);
    } catch (SQLException e) {
      String reason = "PostgreSQL unreachable at " + ADMIN_URL + " as " + USER + ": " + e.getMessage();
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("CI requires PostgreSQL for " + testClass + ". " + reason, e);
      }
      System.out.println("SKIPPED " + testClass + ": " + reason);
      assumeTrue(false, reason);
    }
  }

  /** Creates an empty database named after {@code prefix}, this process and the time; returns its name. */
  public static String createDatabase(String prefix) throws SQLException {
    String name = prefix + "_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
    admin("CREATE DATABASE " + name);
    return name;
  }

  public static Database open(String name) throws SQLException {
    return Database.open(url(name), USER, PASSWORD, 4);
  }

  /** The JDBC URL of database {@code name} on the test server (for a sidecar process's {@code db_url}). */
  public static String url(String name) {
    return ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1) + name;
  }

  public static String user() {
    return USER;
  }

  public static String password() {
    return PASSWORD;
  }

  public static void drop(String name) throws SQLException {
    admin("DROP DATABASE IF EXISTS " + name);
  }

  /** One test's throwaway database: made by {@link #fresh()}, opened again by {@link #reopen()}, dropped by {@link #drop()}. */
  public static final class Throwaway {
    private final String prefix;
    private String name;

    public Throwaway(String prefix) {
      this.prefix = prefix;
    }

    public Database fresh() throws SQLException {
      name = createDatabase(prefix);
      return reopen();
    }

    public Database reopen() throws SQLException {
      return open(name);
    }

    public void drop() throws SQLException {
      if (name != null) {
        TestPostgres.drop(name);
        name = null;
      }
    }
  }

  private static void admin(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
