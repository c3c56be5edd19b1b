package io.outlooksync.sidecar.store;

import java.sql.SQLException;
import java.time.Clock;

/**
 * The sidecar's persistent state: opens the database, brings its schema up to date, and hands out the
 * table groups. One per process; the HSQLDB files belong to the running sidecar alone.
 */
public final class Store implements AutoCloseable {
  private final Database db;
  private final Accounts accounts;
  private final Secrets secrets;
  private final Mappings mappings;
  private final DeltaStates deltaStates;
  private final SyncRuns syncRuns;
  private final Outbox outbox;
  private final OAuthStates oauthStates;
  private final Settings settings;
  private final GraphSubscriptions subscriptions;
  private final Leases leases;
  private final SeriesLinks series;

  private Store(Database db, SecretBox box, Clock clock) {
    this.db = db;
    this.accounts = new Accounts(db, clock);
    this.secrets = new Secrets(db, box, clock);
    this.mappings = new Mappings(db, clock);
    this.deltaStates = new DeltaStates(db, clock);
    this.syncRuns = new SyncRuns(db, clock);
    this.outbox = new Outbox(db, clock);
    this.oauthStates = new OAuthStates(db, box, clock);
    this.settings = new Settings(db, box, clock);
    this.subscriptions = new GraphSubscriptions(db, box, clock);
    this.leases = new Leases(db);
    this.series = new SeriesLinks(db, clock, mappings);
  }

  /** Migrates {@code db} and returns the store over it; closes {@code db} if migration fails. */
  public static Store open(Database db, SecretBox box, Clock clock) throws SQLException {
    try {
      Migrations.migrate(db);
    } catch (SQLException | RuntimeException e) {
      db.close();
      throw e;
    }
    return new Store(db, box, clock);
  }

  /**
   * The store over a database opened read-only ({@link Database#embeddedReadOnly}), for a post-mortem: no
   * migration, and no key: encrypted secrets stay sealed. Refuses a schema older or newer than this build's.
   */
  public static Store readOnly(Database db, Clock clock) throws SQLException {
    try {
      Migrations.checkCurrent(db);
    } catch (SQLException | RuntimeException e) {
      db.close();
      throw e;
    }
    return new Store(db, null, clock);
  }

  public Database database() {
    return db;
  }

  public Accounts accounts() {
    return accounts;
  }

  public Secrets secrets() {
    return secrets;
  }

  public Mappings mappings() {
    return mappings;
  }

  public DeltaStates deltaStates() {
    return deltaStates;
  }

  /** The journal of sync runs. */
  public SyncRuns syncRuns() {
    return syncRuns;
  }

  public Outbox outbox() {
    return outbox;
  }

  public OAuthStates oauthStates() {
    return oauthStates;
  }

  public Settings settings() {
    return settings;
  }

  /** Each account's Graph change-notification subscription. */
  public GraphSubscriptions subscriptions() {
    return subscriptions;
  }

  /** Which sidecar syncs which account, when several share a PostgreSQL store. */
  public Leases leases() {
    return leases;
  }

  /** Recurring events: series rows and their occurrences' original starts (docs/recurrence.md). */
  public SeriesLinks series() {
    return series;
  }

  @Override
  public void close() throws SQLException {
    db.close();
  }
}
