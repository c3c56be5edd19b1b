package io.outlooksync.sidecar.store;

import io.outlooksync.sidecar.core.Mapping;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/** The {@code mapping} table: Odoo event ids linked to immutable Graph ids, per account (mailbox). */
public final class Mappings {
  static final String COLUMNS = "id, account_id, odoo_event_id, graph_id, ical_uid, change_key, series_graph_id, "
      + "odoo_recurrence_id, odoo_synced, graph_synced, odoo_hash, graph_hash";

  private final Database db;
  private final Clock clock;

  Mappings(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Inserts a new mapping (id 0) or updates an existing one; returns it with its id. */
  public Mapping save(Mapping m) throws SQLException {
    return db.transaction(c -> save(c, m));
  }

  /** Saves several mappings in one transaction: a sync run's results land together or not at all. */
  public List<Mapping> saveAll(List<Mapping> mappings) throws SQLException {
    return db.transaction(c -> {
      List<Mapping> out = new ArrayList<>(mappings.size());
      for (Mapping m : mappings) {
        out.add(save(c, m));
      }
      return out;
    });
  }

  Mapping save(Connection c, Mapping m) throws SQLException {
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    if (m.id() == 0) {
      try (PreparedStatement p = c.prepareStatement("INSERT INTO mapping (account_id, odoo_event_id, graph_id, ical_uid, change_key, "
          + "series_graph_id, odoo_recurrence_id, odoo_synced, graph_synced, odoo_hash, graph_hash, created_at, updated_at) "
          + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
        int i = bind(p, m);
        p.setObject(i++, now);
        p.setObject(i, now);
        p.executeUpdate();
        try (ResultSet keys = p.getGeneratedKeys()) {
          keys.next();
          return m.withId(keys.getLong(1));
        }
      }
    }
    try (PreparedStatement p = c.prepareStatement("UPDATE mapping SET account_id = ?, odoo_event_id = ?, graph_id = ?, ical_uid = ?, "
        + "change_key = ?, series_graph_id = ?, odoo_recurrence_id = ?, odoo_synced = ?, graph_synced = ?, odoo_hash = ?, "
        + "graph_hash = ?, updated_at = ? WHERE id = ?")) {
      int i = bind(p, m);
      p.setObject(i++, now);
      p.setLong(i, m.id());
      if (p.executeUpdate() != 1) {
        throw new SQLException("no mapping " + m.id());
      }
      return m;
    }
  }

  public Optional<Mapping> byGraphId(long accountId, String graphId) throws SQLException {
    return one("account_id = ? AND graph_id = ?", accountId, graphId);
  }

  public Optional<Mapping> byOdooEventId(long accountId, long odooEventId) throws SQLException {
    return one("account_id = ? AND odoo_event_id = ?", accountId, odooEventId);
  }

  /** The account's mappings of these Graph ids, by Graph id: one query per 500 ids, not one per id. */
  public Map<String, Mapping> byGraphIds(long accountId, Collection<String> graphIds) throws SQLException {
    Map<String, Mapping> out = new HashMap<>();
    for (Mapping m : byKeys(accountId, "graph_id", graphIds)) {
      out.putIfAbsent(m.graphId(), m);
    }
    return out;
  }

  /** The account's mappings of these Odoo events, by Odoo event id: one query per 500 ids. */
  public Map<Long, Mapping> byOdooEventIds(long accountId, Collection<Long> odooEventIds) throws SQLException {
    Map<Long, Mapping> out = new HashMap<>();
    for (Mapping m : byKeys(accountId, "odoo_event_id", odooEventIds)) {
      out.putIfAbsent(m.odooEventId(), m);
    }
    return out;
  }

  /** Mappings whose {@code column} is one of {@code keys}, oldest first (so the first of two is the one kept). */
  private List<Mapping> byKeys(long accountId, String column, Collection<?> keys) throws SQLException {
    List<?> all = List.copyOf(new LinkedHashSet<>(keys));
    List<Mapping> out = new ArrayList<>();
    for (int from = 0; from < all.size(); from += 500) {
      List<?> chunk = all.subList(from, Math.min(all.size(), from + 500));
      String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
      out.addAll(db.transaction(c -> {
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM mapping WHERE account_id = ? AND " + column
            + " IN (" + marks + ") ORDER BY id")) {
          p.setLong(1, accountId);
          for (int i = 0; i < chunk.size(); i++) {
            p.setObject(i + 2, chunk.get(i));
          }
          return all(p);
        }
      }));
    }
    return out;
  }

  /**
   * The accounts that have synced any of these Odoo events (a meeting several connected users attend has one
   * mapping per mailbox). For routing change announcements; ids go in batches of 500.
   */
  public Set<Long> accountsOfOdooEvents(Collection<Long> odooEventIds) throws SQLException {
    List<Long> ids = List.copyOf(new LinkedHashSet<>(odooEventIds));
    Set<Long> out = new TreeSet<>();
    for (int from = 0; from < ids.size(); from += 500) {
      List<Long> batch = ids.subList(from, Math.min(ids.size(), from + 500));
      String marks = String.join(", ", Collections.nCopies(batch.size(), "?"));
      db.transaction(c -> {
        try (PreparedStatement p = c.prepareStatement("SELECT DISTINCT account_id FROM mapping WHERE odoo_event_id IN (" + marks + ")")) {
          for (int i = 0; i < batch.size(); i++) {
            p.setLong(i + 1, batch.get(i));
          }
          try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
              out.add(rs.getLong(1));
            }
          }
        }
        return null;
      });
    }
    return out;
  }

  /** Every mapping of one meeting in one mailbox (a series and its occurrences share no iCalUId, so usually one). */
  public List<Mapping> byICalUId(long accountId, String iCalUId) throws SQLException {
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM mapping WHERE account_id = ? AND ical_uid = ? ORDER BY id")) {
        p.setLong(1, accountId);
        p.setString(2, iCalUId);
        return all(p);
      }
    });
  }

  /**
   * The Odoo event each of these meetings is linked to through another mailbox of the same Odoo database
   * ({@code exceptAccount} excluded), by iCalUId. Queried in chunks, so any number of ids is fine.
   */
  public Map<String, Long> odooEventsOfMeetings(String odooDb, long exceptAccount, Collection<String> iCalUIds) throws SQLException {
    List<String> all = new ArrayList<>(iCalUIds);
    Map<String, Long> out = new HashMap<>();
    for (int from = 0; from < all.size(); from += 200) {
      List<String> chunk = all.subList(from, Math.min(all.size(), from + 200));
      db.transaction(c -> {
        String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
        try (PreparedStatement p = c.prepareStatement("SELECT m.ical_uid, m.odoo_event_id FROM mapping m JOIN account a ON a.id = m.account_id "
            + "WHERE a.odoo_db = ? AND m.account_id <> ? AND m.odoo_event_id IS NOT NULL AND m.ical_uid IN (" + marks + ") ORDER BY m.id")) {
          int i = 1;
          p.setString(i++, odooDb);
          p.setLong(i++, exceptAccount);
          for (String uid : chunk) {
            p.setString(i++, uid);
          }
          try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
              out.putIfAbsent(rs.getString(1), rs.getLong(2));
            }
          }
        }
        return null;
      });
    }
    return out;
  }

  /**
   * Streams an account's mappings in id order, a page at a time, so memory stays flat however many there are.
   */
  public void forEach(long accountId, int pageSize, Consumer<Mapping> each) throws SQLException {
    long after = 0;
    while (true) {
      long from = after;
      List<Mapping> page = db.transaction(c -> {
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM mapping WHERE account_id = ? AND id > ? ORDER BY id "
            + "FETCH FIRST " + pageSize + " ROWS ONLY")) {
          p.setLong(1, accountId);
          p.setLong(2, from);
          return all(p);
        }
      });
      page.forEach(each);
      if (page.size() < pageSize) {
        return;
      }
      after = page.get(page.size() - 1).id();
    }
  }

  public int count(long accountId) throws SQLException {
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM mapping WHERE account_id = ?")) {
        p.setLong(1, accountId);
        try (ResultSet rs = p.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
    });
  }

  public void delete(long id) throws SQLException {
    db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("DELETE FROM mapping WHERE id = ?")) {
        p.setLong(1, id);
        return p.executeUpdate();
      }
    });
  }

  /** Forgets every mapping of an account, as a reset does. */
  public int deleteAll(long accountId) throws SQLException {
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("DELETE FROM mapping WHERE account_id = ?")) {
        p.setLong(1, accountId);
        return p.executeUpdate();
      }
    });
  }

  private Optional<Mapping> one(String where, long accountId, Object key) throws SQLException {
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM mapping WHERE " + where)) {
        p.setLong(1, accountId);
        p.setObject(2, key);
        List<Mapping> found = all(p);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
      }
    });
  }

  private static int bind(PreparedStatement p, Mapping m) throws SQLException {
    int i = 1;
    p.setLong(i++, m.accountId());
    setLong(p, i++, m.odooEventId());
    p.setString(i++, m.graphId());
    p.setString(i++, m.iCalUId());
    p.setString(i++, m.changeKey());
    p.setString(i++, m.seriesGraphId());
    setLong(p, i++, m.odooRecurrenceId());
    p.setString(i++, m.odooSynced());
    p.setString(i++, m.graphSynced());
    p.setString(i++, m.odooHash());
    p.setString(i++, m.graphHash());
    return i;
  }

  private static void setLong(PreparedStatement p, int i, Long v) throws SQLException {
    if (v == null) {
      p.setNull(i, Types.BIGINT);
    } else {
      p.setLong(i, v);
    }
  }

  static List<Mapping> all(PreparedStatement p) throws SQLException {
    List<Mapping> out = new ArrayList<>();
    try (ResultSet rs = p.executeQuery()) {
      while (rs.next()) {
        out.add(new Mapping(rs.getLong(1), rs.getLong(2), (Long) rs.getObject(3, Long.class), rs.getString(4), rs.getString(5),
            rs.getString(6), rs.getString(7), (Long) rs.getObject(8, Long.class), rs.getString(9), rs.getString(10),
            rs.getString(11), rs.getString(12)));
      }
    }
    return out;
  }
}
