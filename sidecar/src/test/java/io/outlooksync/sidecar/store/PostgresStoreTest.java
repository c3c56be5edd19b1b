package io.outlooksync.sidecar.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The same contract on a real PostgreSQL, each test in a throwaway database (see {@link TestPostgres}). */
class PostgresStoreTest extends StoreContractTest {
  private String dbName;

  @BeforeAll
  static void requirePostgres() {
    TestPostgres.require("PostgresStoreTest");
  }

  @Override
  Database freshDatabase() throws Exception {
    dbName = TestPostgres.createDatabase("outlook_sync_test");
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
