package io.outlooksync.sidecar.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The same contract on a real PostgreSQL, each test in a throwaway database (see {@link TestPostgres}). */
class PostgresStoreTest extends StoreContractTest {
  private final TestPostgres.Throwaway db = new TestPostgres.Throwaway("outlook_sync_test");

  @BeforeAll
  static void requirePostgres() {
    TestPostgres.require("PostgresStoreTest");
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
