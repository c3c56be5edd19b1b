package io.outlooksync.sidecar.store;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code graph_subscription} table: each account's change-notification subscription at Graph. The
 * clientState, which proves a notification came from Graph for that subscription, is sealed like every secret
 * (bound to the subscription id, so a sealed value cannot be moved to another row).
 */
public final class GraphSubscriptions {
  private final Database db;
  private final SecretBox box;
  private final Clock clock;

  GraphSubscriptions(Database db, SecretBox box, Clock clock) {
    this.db = db;
    this.box = box;
    this.clock = clock;
  }

  /** One stored subscription (the clientState is not in it: see {@link #clientState}). */
  public record Row(long accountId, String subscriptionId, String notificationUrl, Instant expiresAt) {}

  static String context(String subscriptionId) {
    return "graph_subscription:" + subscriptionId;
  }

  /** Stores the account's subscription, replacing the one it had. */
  public void save(long accountId, String subscriptionId, String notificationUrl, String clientState, Instant expiresAt)
      throws SQLException {
    byte[] sealed = box.seal(clientState.getBytes(StandardCharsets.UTF_8), context(subscriptionId));
    OffsetDateTime now = now();
    db.transaction(c -> {
      try (PreparedStatement d = c.prepareStatement("DELETE FROM graph_subscription WHERE account_id = ? OR subscription_id = ?")) {
        d.setLong(1, accountId);
        d.setString(2, subscriptionId);
        d.executeUpdate();
      }
      try (PreparedStatement p = c.prepareStatement("INSERT INTO graph_subscription (account_id, subscription_id, notification_url, "
          + "client_state, expires_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        p.setLong(1, accountId);
        p.setString(2, subscriptionId);
        p.setString(3, notificationUrl);
        p.setBytes(4, sealed);
        p.setObject(5, expiresAt.atOffset(ZoneOffset.UTC));
        p.setObject(6, now);
        p.setObject(7, now);
        return p.executeUpdate();
      }
    });
  }

  /** After a renewal: the new expiry and (when moved) notification URL. */
  public void renewed(String subscriptionId, String notificationUrl, Instant expiresAt) throws SQLException {
    db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement(
          "UPDATE graph_subscription SET notification_url = ?, expires_at = ?, updated_at = ? WHERE subscription_id = ?")) {
        p.setString(1, notificationUrl);
        p.setObject(2, expiresAt.atOffset(ZoneOffset.UTC));
        p.setObject(3, now());
        p.setString(4, subscriptionId);
        return p.executeUpdate();
      }
    });
  }

  public Optional<Row> ofAccount(long accountId) throws SQLException {
    List<Row> rows = select("WHERE account_id = ?", accountId);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  public Optional<Row> byId(String subscriptionId) throws SQLException {
    List<Row> rows = select("WHERE subscription_id = ?", subscriptionId);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  public List<Row> all() throws SQLException {
    return select("", null);
  }

  /** The subscription's clientState, or empty for a subscription this store does not know. */
  public Optional<String> clientState(String subscriptionId) throws SQLException {
    byte[] sealed = db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT client_state FROM graph_subscription WHERE subscription_id = ?")) {
        p.setString(1, subscriptionId);
        try (ResultSet rs = p.executeQuery()) {
          return rs.next() ? rs.getBytes(1) : null;
        }
      }
    });
    return sealed == null ? Optional.empty()
        : Optional.of(new String(box.open(sealed, context(subscriptionId)), StandardCharsets.UTF_8));
  }

  public void delete(String subscriptionId) throws SQLException {
    db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("DELETE FROM graph_subscription WHERE subscription_id = ?")) {
        p.setString(1, subscriptionId);
        return p.executeUpdate();
      }
    });
  }

  private List<Row> select(String where, Object arg) throws SQLException {
    return db.transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT account_id, subscription_id, notification_url, expires_at "
          + "FROM graph_subscription " + where + " ORDER BY account_id")) {
        if (arg instanceof Long l) {
          p.setLong(1, l);
        } else if (arg != null) {
          p.setString(1, (String) arg);
        }
        List<Row> out = new ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
          while (rs.next()) {
            out.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), Accounts.instant(rs, 4)));
          }
        }
        return out;
      }
    });
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }
}
