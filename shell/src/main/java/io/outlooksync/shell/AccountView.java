package io.outlooksync.shell;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** One account as {@code GET /api/accounts} and the user status show it. */
public record AccountView(long id, String db, long userId, String login, String state, String stateReason,
    String msUsername, String lastSyncAt, String lastError, String lastErrorAt, List<String> parked) {

  public static AccountView of(JsonNode n) {
    List<String> parked = new ArrayList<>();
    n.path("parked").forEach(p -> parked.add(text(p, "subject") + ": " + text(p, "error") + " (" + p.path("attempts").asInt()
        + " attempts, action " + text(p, "action_id") + ")"));
    return new AccountView(n.path("id").asLong(), text(n, "db"), n.path("user_id").asLong(), text(n, "login"),
        text(n, "state"), text(n, "state_reason"), text(n, "ms_username"), text(n, "last_sync_at"),
        text(n, "last_error"), text(n, "last_error_at"), List.copyOf(parked));
  }

  /** How the shell names a user: {@code db/userId}, unique across databases. */
  public String key() {
    return db + "/" + userId;
  }

  public String apiPath() {
    return "/api/users/" + db + "/" + userId;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
