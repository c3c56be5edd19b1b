package io.outlooksync.sidecar.auth;

import io.outlooksync.sidecar.store.Database;
import io.outlooksync.sidecar.store.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The sign-in tests on a real PostgreSQL, each in a throwaway database (see {@link TestPostgres}). */
class PostgresSignInTest extends SignInTest {
  private final TestPostgres.Throwaway db = new TestPostgres.Throwaway("outlook_sync_auth");

  @BeforeAll
  static void requirePostgres() {
    TestPostgres.require("PostgresSignInTest");
  }

  @Override
  Database freshDatabase() throws Exception {
    return db.fresh();
  }

  @Override
  Database reopen() throws Exception {
    return db.reopen();
  }

  @AfterEach
  void dropDatabase() throws Exception {
    if (store != null) {
      store.close();
      store = null;
    }
    db.drop();
  }
}
