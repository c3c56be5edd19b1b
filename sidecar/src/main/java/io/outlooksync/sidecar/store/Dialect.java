package io.outlooksync.sidecar.store;

import java.util.Map;

/**
 * The two databases the store runs on, and the few places their SQL differs. Migration scripts are written
 * once, with {@code ${name}} placeholders that each dialect fills in.
 */
public enum Dialect {
  /** Embedded, single sidecar: the default. */
  HSQLDB(Map.of(
      "text", "LONGVARCHAR",
      "bytes", "VARBINARY(16777216)",
      "timestamp", "TIMESTAMP WITH TIME ZONE",
      "json", "LONGVARCHAR")),
  /** Shared by several sidecars. */
  POSTGRESQL(Map.of(
      "text", "TEXT",
      "bytes", "BYTEA",
      "timestamp", "TIMESTAMP WITH TIME ZONE",
      "json", "TEXT"));

  private final Map<String, String> types;

  Dialect(Map<String, String> types) {
    this.types = types;
  }

  public static Dialect of(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:hsqldb:")) {
      return HSQLDB;
    }
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    throw new IllegalArgumentException("unsupported database URL (HSQLDB or PostgreSQL only): " + redact(jdbcUrl));
  }

  /** Fills {@code ${text}}, {@code ${bytes}}, ... in a migration script. */
  String render(String sql) {
    String out = sql;
    for (Map.Entry<String, String> t : types.entrySet()) {
      out = out.replace("${" + t.getKey() + "}", t.getValue());
    }
    if (out.contains("${")) {
      throw new IllegalStateException("unknown placeholder in migration: " + out.substring(out.indexOf("${")));
    }
    return out;
  }

  /** A JDBC URL without its password, for messages and logs. */
  public static String redact(String jdbcUrl) {
    return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }
}
