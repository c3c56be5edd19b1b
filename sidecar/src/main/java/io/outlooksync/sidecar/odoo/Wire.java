package io.outlooksync.sidecar.odoo;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Odoo's wire forms: datetimes are UTC "YYYY-MM-DD HH:MM:SS" strings, ids are XML-RPC ints. */
final class Wire {
  static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private Wire() {}

  static String datetime(Instant instant) {
    return LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC).format(DATETIME);
  }

  static Instant datetime(String text) {
    return LocalDateTime.parse(text, DATETIME).toInstant(ZoneOffset.UTC);
  }

  /** Odoo ids are PostgreSQL int4, and XML-RPC without extensions has no 64-bit integers. */
  static Integer id(long id) {
    if (id <= 0 || id > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("not an Odoo id: " + id);
    }
    return (int) id;
  }

  static java.util.List<Integer> ids(java.util.Collection<Long> ids) {
    return ids.stream().map(Wire::id).toList();
  }
}
