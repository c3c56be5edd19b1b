package io.outlooksync.sidecar.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Versioned schema migrations: {@code db/migration/V<n>__<name>.sql}, listed in order in
 * {@code db/migration/index.txt}, each applied once and recorded with its checksum in {@code schema_version}.
 * An applied script that was edited afterwards stops the start-up: silently diverging schemas are worse.
 */
public final class Migrations {
  private static final String DIR = "db/migration/";

  /** A script: its version, name and SQL text. */
  record Script(int version, String name, String sql) {
    String checksum() {
      try {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sql.getBytes(StandardCharsets.UTF_8)));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private Migrations() {}

  /** Brings the schema up to date; returns the versions applied now. */
  public static List<Integer> migrate(Database db) throws SQLException {
    List<Script> scripts = load();
    return db.transaction(c -> {
      lock(c, db.dialect());
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name VARCHAR(200) NOT NULL, "
            + "checksum VARCHAR(64) NOT NULL, applied_at TIMESTAMP WITH TIME ZONE NOT NULL)");
      }
      Map<Integer, String> applied = new LinkedHashMap<>();
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version, checksum FROM schema_version")) {
        while (rs.next()) {
          applied.put(rs.getInt(1), rs.getString(2));
        }
      }
      List<Integer> now = new ArrayList<>();
      for (Script script : scripts) {
        String known = applied.get(script.version());
        if (known != null) {
          if (!known.equals(script.checksum())) {
            throw new SQLException("migration V" + script.version() + " (" + script.name() + ") was changed after it was applied; "
                + "restore it and add a new migration instead");
          }
          continue;
        }
        for (String statement : statements(db.dialect().render(script.sql()))) {
          try (Statement s = c.createStatement()) {
            s.execute(statement);
          } catch (SQLException e) {
            throw new SQLException("migration V" + script.version() + " failed at: " + statement + ": " + e.getMessage(), e.getSQLState(), e);
          }
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO schema_version (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)")) {
          p.setInt(1, script.version());
          p.setString(2, script.name());
          p.setString(3, script.checksum());
          p.setObject(4, OffsetDateTime.now(ZoneOffset.UTC));
          p.executeUpdate();
        }
        now.add(script.version());
      }
      return now;
    });
  }

  /**
   * Checks, without writing, that the schema is exactly this build's: a read-only reader cannot migrate, and
   * reading another version's tables would mislead.
   */
  static void checkCurrent(Database db) throws SQLException {
    int expected = load().size();
    int found = db.transaction(c -> {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
        rs.next();
        return rs.getInt(1);
      } catch (SQLException e) {
        throw new SQLException("this is not an outlook-sync store (no schema_version table)", e);
      }
    });
    if (found != expected) {
      throw new SQLException("the store's schema is at version " + found + " and this build reads version " + expected
          + (found < expected ? ": start the sidecar once to migrate it, or use the shell of the sidecar's version"
              : ": use the shell of the sidecar's version"));
    }
  }

  /** Several sidecars may start at once on one PostgreSQL database: one migrates, the others wait. */
  private static void lock(Connection c, Dialect dialect) throws SQLException {
    if (dialect == Dialect.POSTGRESQL) {
      try (Statement s = c.createStatement()) {
        s.execute("SELECT pg_advisory_xact_lock(7355608)");
      }
    }
  }

  static List<Script> load() {
    List<Script> out = new ArrayList<>();
    for (String line : resource(DIR + "index.txt").split("\n")) {
      String name = line.trim();
      if (name.isEmpty() || name.startsWith("#")) {
        continue;
      }
      if (!name.matches("V\\d+__\\w+\\.sql")) {
        throw new IllegalStateException("bad migration name: " + name);
      }
      int version = Integer.parseInt(name.substring(1, name.indexOf("__")));
      if (!out.isEmpty() && version != out.get(out.size() - 1).version() + 1) {
        throw new IllegalStateException("migrations must be numbered without gaps: " + name);
      }
      out.add(new Script(version, name, resource(DIR + name)));
    }
    return out;
  }

  /** Splits a script on semicolons at line ends; our scripts keep one statement per such line. */
  static List<String> statements(String sql) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (String line : sql.split("\n")) {
      String t = line.strip();
      if (t.startsWith("--") || t.isEmpty()) {
        continue;
      }
      cur.append(line).append('\n');
      if (t.endsWith(";")) {
        String stmt = cur.toString().strip();
        out.add(stmt.substring(0, stmt.length() - 1));
        cur.setLength(0);
      }
    }
    if (!cur.toString().isBlank()) {
      out.add(cur.toString().strip());
    }
    return out;
  }

  private static String resource(String path) {
    try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + path, e);
    }
  }
}
