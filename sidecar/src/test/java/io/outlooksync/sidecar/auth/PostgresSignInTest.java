package io.outlooksync.sidecar.auth;

import io.outlooksync.sidecar.store.Database;
import io.outlooksync.sidecar.store.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The sign-in tests on a real PostgreSQL, each in a throwaway database (see {@link TestPostgres}). */
class PostgresSignInTest extends SignInTest {
  private String dbName;

  @BeforeAll
  static void requirePostgres() {
    TestPostgres.require("PostgresSignInTest");
  }

  @Override
  Database freshDatabase() throws Exception {
    dbName = TestPostgres.createDatabase("outlook_sync_auth");
    return reopen();
  }

  @Override
  Database reopen() throws Exception {
    return TestPostgres.open(dbName);
  }

  @AfterEach
  void dropDatabase() throws Exception {
    if (store != null) {
      store.close();
      store = null;
    }
    if (dbName != null) {
      TestPostgres.drop(dbName);
    }
  }
}
