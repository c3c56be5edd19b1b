package io.outlooksync.sidecar.auth;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.outlooksync.sidecar.store.Database;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The sign-in tests on a real PostgreSQL, each in a throwaway database (the same settings and rules as the
 * store's PostgresStoreTest: skipped where PostgreSQL is unreachable, a failure in CI).
 */
class PostgresSignInTest extends SignInTest {
  static final String ADMIN_URL = System.getenv().getOrDefault("OUTLOOK_SYNC_TEST_PG", "jdbc:postgresql://127.0.0.1:5432/postgres");
  static final String USER = System.getenv().getOrDefault("OUTLOOK_SYNC_TEST_PG_USER", "postgres");
  static final String PASSWORD = System.getenv().getOrDefault("OUTLOOK_SYNC_TEST_PG_PASSWORD", "");

  private String dbName;

  @BeforeAll
  static void requirePostgres() {
    try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD)) {
      c.isValid(2);
    } catch (SQLException e) {
      String reason = "PostgreSQL unreachable at " + ADMIN_URL + " as " + USER + ": " + e.getMessage();
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("CI requires PostgreSQL. " + reason, e);
      }
      System.out.println("SKIPPED PostgresSignInTest: " + reason);
      assumeTrue(false, reason);
    }
  }

  @Override
  Database freshDatabase() throws Exception {
    dbName = "outlook_sync_auth_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
    admin("CREATE DATABASE " + dbName);
    return reopen();
  }

  @Override
  Database reopen() throws Exception {
    return Database.open(ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1) + dbName, USER, PASSWORD, 4);
  }

  @AfterEach
  void dropDatabase() throws Exception {
    if (store != null) {
      store.close();
      store = null;
    }
    if (dbName != null) {
      admin("DROP DATABASE IF EXISTS " + dbName);
    }
  }

  private static void admin(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
