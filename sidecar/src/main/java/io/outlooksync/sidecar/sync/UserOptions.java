package io.outlooksync.sidecar.sync;

import io.outlooksync.sidecar.store.Account;
import io.outlooksync.sidecar.store.Store;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One user's choices, kept in the {@code setting} table: quiet mode and "only future events" (each falls back to
 * the administrator's default while the user has not chosen), and whether the user confirmed their first sync
 * after seeing its forecast. Until then no scheduled run touches their calendars.
 */
public record UserOptions(boolean quiet, boolean onlyFuture) {

  static String key(long accountId, String name) {
    return "account." + accountId + "." + name;
  }

  public static UserOptions read(Store store, long accountId, RunSettings defaults) throws SQLException {
    return new UserOptions(flag(store, accountId, "quiet").orElse(defaults.quietDefault()),
        flag(store, accountId, "only_future").orElse(defaults.onlyFutureDefault()));
  }

  /** The options a user can choose. */
  public static final Set<String> NAMES = Set.of("quiet", "only_future");

  /** Stores the user's choices, by name ({@link #NAMES}); a null value goes back to the administrator's default. */
  public static void write(Store store, long accountId, Map<String, Boolean> choices) throws SQLException {
    Map<String, String> set = new HashMap<>();
    Set<String> remove = new HashSet<>();
    choices.forEach((name, value) -> {
      if (!NAMES.contains(name)) {
        throw new IllegalArgumentException("unknown option " + name);
      }
      if (value == null) {
        remove.add(key(accountId, name));
      } else {
        set.put(key(accountId, name), value.toString());
      }
    });
    store.settings().update(set, Map.of(), remove);
  }

  /** Whether the user's first sync was confirmed (or the account synced before confirmation existed). */
  public static boolean firstSyncConfirmed(Store store, Account account) throws SQLException {
    return account.lastSyncAt() != null || flag(store, account.id(), "first_sync_confirmed").orElse(false);
  }

  public static void confirmFirstSync(Store store, long accountId) throws SQLException {
    store.settings().put(key(accountId, "first_sync_confirmed"), "true");
  }

  private static Optional<Boolean> flag(Store store, long accountId, String name) throws SQLException {
    return store.settings().value(key(accountId, name)).map(Boolean::parseBoolean);
  }
}
