package io.outlooksync.sidecar.store;

import io.outlooksync.sidecar.core.Mapping;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code series} and {@code occurrence} tables: one row per series synced in a mailbox, and for each
 * occurrence mapping its original start (wall-clock time in the series' zone), which Odoo forgets once an
 * occurrence moves. Occurrences themselves are {@code mapping} rows.
 */
public final class SeriesLinks {
  private static final String COLUMNS = "id, account_id, odoo_recurrence_id, graph_master_id, ical_uid, rule_synced, "
      + "content_synced, no_end, settle";

  /**
   * A series as last synced. {@code ruleSynced}: the neutral rule (JSON); {@code contentSynced}: the series'
   * content with its first occurrence's times (a snapshot); {@code noEnd}: written to Odoo as "forever", which Odoo
   * reads back as 720 occurrences; {@code settle}: the side whose occurrences the next run takes as they are
   * (ODOO or OUTLOOK), set after a run that created or reshaped the series, null once settled.
   */
  public record Series(long id, long accountId, Long odooRecurrenceId, String graphMasterId, String iCalUId,
                       String ruleSynced, String contentSynced, boolean noEnd, String settle) {
    public Series withSettle(String side) {
      return new Series(id, accountId, odooRecurrenceId, graphMasterId, iCalUId, ruleSynced, contentSynced, noEnd, side);
    }
  }

  /** One occurrence mapping of a series; {@code detached}: synced as a single Outlook event (Outlook refused the move). */
  public record Occurrence(Mapping mapping, long seriesId, LocalDateTime originalStart, boolean detached) {}

  private final Database db;
  private final Clock clock;
  private final Mappings mappings;

  SeriesLinks(Database db, Clock clock, Mappings mappings) {
    this.db = db;
    this.clock = clock;
    this.mappings = mappings;
  }

  /** The series an Odoo recurrence belongs to: its first part, or one of its continuation parts. */
  public Optional<Series> byOdooRecurrence(long accountId, long recurrenceId) throws SQLException {
    Optional<Series> first = one("account_id = ? AND odoo_recurrence_id = ?", accountId, recurrenceId);
    if (first.isPresent()) {
      return first;
    }
    return one("account_id = ? AND id IN (SELECT series_id FROM series_part WHERE odoo_recurrence_id = ?)", accountId, recurrenceId);
  }

  /**
   * The Odoo recurrences that continue a series past Odoo's 720 events, in order (part 1 first; part 0 is the
   * series row's own recurrence).
   */
  public List<Long> parts(long seriesId) throws SQLException {
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT odoo_recurrence_id FROM series_part WHERE series_id = ? ORDER BY part")) {
        p.setLong(1, seriesId);
        List<Long> out = new ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getLong(1));
          }
        }
        return out;
      }
    });
  }

  public Optional<Series> byGraphMaster(long accountId, String masterId) throws SQLException {
    return one("account_id = ? AND graph_master_id = ?", accountId, masterId);
  }

  /**
   * The Odoo recurrence another mailbox of the same Odoo database linked to the meeting series {@code iCalUId}
   * (one Odoo series per meeting across connected users), if any.
   */
  public Optional<Long> recurrenceOfMeeting(String odooDb, long exceptAccount, String iCalUId) throws SQLException {
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT s.odoo_recurrence_id FROM series s JOIN account a ON a.id = s.account_id "
          + "WHERE a.odoo_db = ? AND s.account_id <> ? AND s.ical_uid = ? AND s.odoo_recurrence_id IS NOT NULL ORDER BY s.id")) {
        p.setString(1, odooDb);
        p.setLong(2, exceptAccount);
        p.setString(3, iCalUId);
        try (ResultSet rs = p.executeQuery()) {
          return rs.next() ? Optional.of(rs.getLong(1)) : Optional.<Long>empty();
        }
      }
    });
  }

  /** The series a run must look at even without a change on either side (created or reshaped last run). */
  public List<Series> settling(long accountId) throws SQLException {
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM series WHERE account_id = ? AND settle IS NOT NULL ORDER BY id")) {
        p.setLong(1, accountId);
        return all(p);
      }
    });
  }

  /** The series an occurrence mapping belongs to. */
  public Optional<Occurrence> occurrenceOf(long mappingId) throws SQLException {
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT series_id, original_start, detached FROM occurrence WHERE mapping_id = ?")) {
        p.setLong(1, mappingId);
        try (ResultSet rs = p.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          long seriesId = rs.getLong(1);
          LocalDateTime start = LocalDateTime.parse(rs.getString(2));
          boolean detached = rs.getBoolean(3);
          return Optional.of(new Occurrence(null, seriesId, start, detached));
        }
      }
    });
  }

  public Optional<Series> byId(long id) throws SQLException {
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM series WHERE id = ?")) {
        p.setLong(1, id);
        List<Series> found = all(p);
        return found.isEmpty() ? Optional.<Series>empty() : Optional.of(found.get(0));
      }
    });
  }

  /** Every occurrence mapping of a series. */
  public List<Occurrence> occurrences(long seriesId) throws SQLException {
    return db.transaction(c -> {
      Map<Long, Object[]> rows = new HashMap<>();
      try (PreparedStatement p = c.prepareStatement("SELECT mapping_id, original_start, detached FROM occurrence WHERE series_id = ?")) {
        p.setLong(1, seriesId);
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            rows.put(rs.getLong(1), new Object[] {LocalDateTime.parse(rs.getString(2)), rs.getBoolean(3)});
          }
        }
      }
      List<Occurrence> out = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement("SELECT " + Mappings.COLUMNS
          + " FROM mapping WHERE id IN (SELECT mapping_id FROM occurrence WHERE series_id = ?) ORDER BY id")) {
        p.setLong(1, seriesId);
        for (Mapping m : Mappings.all(p)) {
          Object[] r = rows.get(m.id());
          out.add(new Occurrence(m, seriesId, (LocalDateTime) r[0], (Boolean) r[1]));
        }
      }
      return out;
    });
  }

  /** Inserts (id 0) or updates a series row; returns it with its id. */
  public Series save(Series s) throws SQLException {
    return db.transaction(c -> save(c, s));
  }

  /**
   * One run's series writes in one transaction: series rows, then occurrence mappings (new ones get their ids),
   * then the mappings and series to forget. {@code occurrences} may name a series by a negative index into
   * {@code series} (a series saved in the same call): -1 is the first.
   */
  public void saveAll(List<Series> series, List<Occurrence> occurrences, List<Long> forgetMappings, List<Long> forgetSeries)
      throws SQLException {
    saveAll(series, occurrences, forgetMappings, forgetSeries, Map.of());
  }

  /** As above, and {@code parts}: a series' continuation recurrences, in order, replacing those it had. */
  public void saveAll(List<Series> series, List<Occurrence> occurrences, List<Long> forgetMappings, List<Long> forgetSeries,
                      Map<Long, List<Long>> parts) throws SQLException {
    db.transaction(c -> {
      List<Series> saved = new ArrayList<>();
      for (Series s : series) {
        saved.add(save(c, s));
      }
      for (Map.Entry<Long, List<Long>> e : parts.entrySet()) {
        setParts(c, e.getKey(), e.getValue());
      }
      for (long id : forgetMappings) {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM mapping WHERE id = ?")) {
          p.setLong(1, id);
          p.executeUpdate();
        }
      }
      for (Occurrence o : occurrences) {
        long seriesId = o.seriesId() < 0 ? saved.get((int) (-o.seriesId() - 1)).id() : o.seriesId();
        Mapping m = mappings.save(c, o.mapping());
        try (PreparedStatement p = c.prepareStatement("DELETE FROM occurrence WHERE mapping_id = ?")) {
          p.setLong(1, m.id());
          p.executeUpdate();
        }
        try (PreparedStatement p = c.prepareStatement(
            "INSERT INTO occurrence (mapping_id, series_id, original_start, detached) VALUES (?, ?, ?, ?)")) {
          p.setLong(1, m.id());
          p.setLong(2, seriesId);
          p.setString(3, o.originalStart().toString());
          p.setBoolean(4, o.detached());
          p.executeUpdate();
        }
      }
      for (long id : forgetSeries) {
        try (PreparedStatement p = c.prepareStatement(
            "DELETE FROM mapping WHERE id IN (SELECT mapping_id FROM occurrence WHERE series_id = ?)")) {
          p.setLong(1, id);
          p.executeUpdate();
        }
        try (PreparedStatement p = c.prepareStatement("DELETE FROM series WHERE id = ?")) {
          p.setLong(1, id);
          p.executeUpdate();
        }
      }
      return null;
    });
  }

  /** Forgets every series of an account (a reset); their occurrence mappings go with the account's mappings. */
  public int deleteAll(long accountId) throws SQLException {
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("DELETE FROM series WHERE account_id = ?")) {
        p.setLong(1, accountId);
        return p.executeUpdate();
      }
    });
  }

  private static void setParts(Connection c, long seriesId, List<Long> recurrences) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("DELETE FROM series_part WHERE series_id = ?")) {
      p.setLong(1, seriesId);
      p.executeUpdate();
    }
    try (PreparedStatement p = c.prepareStatement("INSERT INTO series_part (series_id, part, odoo_recurrence_id) VALUES (?, ?, ?)")) {
      for (int i = 0; i < recurrences.size(); i++) {
        p.setLong(1, seriesId);
        p.setInt(2, i + 1);
        p.setLong(3, recurrences.get(i));
        p.executeUpdate();
      }
    }
  }

  private Series save(Connection c, Series s) throws SQLException {
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    if (s.id() == 0) {
      try (PreparedStatement p = c.prepareStatement("INSERT INTO series (account_id, odoo_recurrence_id, graph_master_id, ical_uid, "
          + "rule_synced, content_synced, no_end, settle, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          Statement.RETURN_GENERATED_KEYS)) {
        int i = bind(p, s);
        p.setObject(i++, now);
        p.setObject(i, now);
        p.executeUpdate();
        try (ResultSet keys = p.getGeneratedKeys()) {
          keys.next();
          long id = keys.getLong(1);
          return new Series(id, s.accountId(), s.odooRecurrenceId(), s.graphMasterId(), s.iCalUId(), s.ruleSynced(),
              s.contentSynced(), s.noEnd(), s.settle());
        }
      }
    }
    try (PreparedStatement p = c.prepareStatement("UPDATE series SET account_id = ?, odoo_recurrence_id = ?, graph_master_id = ?, "
        + "ical_uid = ?, rule_synced = ?, content_synced = ?, no_end = ?, settle = ?, updated_at = ? WHERE id = ?")) {
      int i = bind(p, s);
      p.setObject(i++, now);
      p.setLong(i, s.id());
      if (p.executeUpdate() != 1) {
        throw new SQLException("no series " + s.id());
      }
      return s;
    }
  }

  private static int bind(PreparedStatement p, Series s) throws SQLException {
    int i = 1;
    p.setLong(i++, s.accountId());
    if (s.odooRecurrenceId() == null) {
      p.setNull(i++, Types.BIGINT);
    } else {
      p.setLong(i++, s.odooRecurrenceId());
    }
    p.setString(i++, s.graphMasterId());
    p.setString(i++, s.iCalUId());
    p.setString(i++, s.ruleSynced());
    p.setString(i++, s.contentSynced());
    p.setBoolean(i++, s.noEnd());
    p.setString(i++, s.settle());
    return i;
  }

  private Optional<Series> one(String where, long accountId, Object key) throws SQLException {
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM series WHERE " + where)) {
        p.setLong(1, accountId);
        p.setObject(2, key);
        List<Series> found = all(p);
        return found.isEmpty() ? Optional.<Series>empty() : Optional.of(found.get(0));
      }
    });
  }

  private static List<Series> all(PreparedStatement p) throws SQLException {
    List<Series> out = new ArrayList<>();
    try (ResultSet rs = p.executeQuery()) {
      while (rs.next()) {
        out.add(new Series(rs.getLong(1), rs.getLong(2), (Long) rs.getObject(3, Long.class), rs.getString(4), rs.getString(5),
            rs.getString(6), rs.getString(7), rs.getBoolean(8), rs.getString(9)));
      }
    }
    return out;
  }
}
