package io.outlooksync.sidecar.app;

import io.outlooksync.sidecar.api.ApiException;
import io.outlooksync.sidecar.api.Setup;
import io.outlooksync.sidecar.store.Store;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The effective configuration: the start-up {@link Config} (defaults, file, environment) with the values the
 * addon pushed through {@code configure} on top, read from the store. Pushed values win, because the addon's
 * settings page is where administrators change them, except the shared secret: set in the configuration, it
 * cannot be pushed (so an administrator can always overrule a bootstrap). Start-up-only keys (listen address, data directory,
 * database, keys) cannot be pushed. Cached in memory and re-read after each configure and every 30 s, so
 * several sidecars sharing one PostgreSQL store converge.
 */
final class LiveSetup implements Setup {
  private static final long REFRESH_MILLIS = 30_000;
  private static final int MAX_CACHED_STATES = 100_000;

  private final Config base;
  private final Store store;
  private volatile Config effective;
  private volatile long loadedAt;
  /** clientStates by subscription id: stable for a subscription's life, so read and decrypted once. */
  private final Map<String, String> clientStates = new java.util.concurrent.ConcurrentHashMap<>();

  LiveSetup(Config base, Store store) throws SQLException {
    this.base = base;
    this.store = store;
    reload();
  }

  /** The configuration in force now. */
  Config current() {
    if (System.currentTimeMillis() - loadedAt > REFRESH_MILLIS) {
      try {
        reload();
      } catch (SQLException e) {
        // keep the last known values; the store's trouble shows on /healthz
      }
    }
    return effective;
  }

  private synchronized void reload() throws SQLException {
    Map<Key, String> pushed = new EnumMap<>(Key.class);
    for (Key k : Key.values()) {
      if (!k.pushable()) {
        continue;
      }
      if (k == Key.API_SHARED_SECRET && base.get(k).isPresent()) {
        continue; // a secret set by the administrator wins, so a hijacked bootstrap can be overruled
      }
      Optional<String> v = k.secret() ? store.secrets().setting(k.storeName()) : store.settings().value(k.storeName());
      v.ifPresent(value -> pushed.put(k, value));
    }
    effective = base.with(pushed);
    loadedAt = System.currentTimeMillis();
  }

  @Override
  public Optional<String> sharedSecret() {
    return current().get(Key.API_SHARED_SECRET);
  }

  @Override
  public Optional<String> graphClientState(String subscriptionId) {
    String known = clientStates.get(subscriptionId);
    if (known != null) {
      return Optional.of(known);
    }
    try {
      Optional<String> stored = store.subscriptions().clientState(subscriptionId);
      if (stored.isPresent() && clientStates.size() < MAX_CACHED_STATES) {
        clientStates.put(subscriptionId, stored.get());
      }
      return stored;
    } catch (SQLException e) {
      return Optional.empty(); // the notification is dropped; the fallback interval finds its change
    }
  }

  @Override
  public List<String> missing() {
    return current().missing();
  }

  @Override
  public synchronized List<String> configure(Map<String, String> values, boolean bootstrap) throws SQLException {
    List<String> problems = new ArrayList<>();
    Map<Key, String> set = new EnumMap<>(Key.class);
    Set<Key> remove = new HashSet<>();
    for (Map.Entry<String, String> e : values.entrySet()) {
      Optional<Key> key = Key.byId(e.getKey());
      if (key.isEmpty()) {
        problems.add("unknown setting " + e.getKey());
      } else if (!key.get().pushable()) {
        problems.add(e.getKey() + " is set in the sidecar's config file or environment only");
      } else if (e.getValue().isBlank()) {
        remove.add(key.get());
      } else {
        set.put(key.get(), e.getValue().strip());
      }
    }
    if (values.containsKey(Key.API_SHARED_SECRET.id()) && base.get(Key.API_SHARED_SECRET).isPresent()) {
      problems.add("api_shared_secret is set in the sidecar's configuration; change it there");
    } else if (remove.contains(Key.API_SHARED_SECRET)) {
      problems.add("api_shared_secret cannot be removed, only replaced (removing it would reopen the bootstrap)");
    }
    problems.addAll(Config.validate(set));
    if (problems.isEmpty()) {
      Map<Key, String> after = new EnumMap<>(set);
      remove.forEach(k -> after.put(k, base.get(k).orElse("")));
      problems.addAll(current().with(after).crossProblems());
    }
    if (!problems.isEmpty()) {
      throw new ApiException(400, "invalid_settings", String.join("; ", problems));
    }
    if (bootstrap) {
      reload();
      if (effective.get(Key.API_SHARED_SECRET).isPresent()) {
        throw new ApiException(401, "already_bootstrapped", "a shared secret was configured meanwhile; sign with it");
      }
    }
    Map<String, String> plain = new LinkedHashMap<>();
    Map<String, String> secret = new LinkedHashMap<>();
    set.forEach((k, v) -> (k.secret() ? secret : plain).put(k.storeName(), v));
    Set<String> removeNames = new HashSet<>();
    remove.forEach(k -> removeNames.add(k.storeName()));
    store.settings().update(plain, secret, removeNames);
    reload();
    List<String> stored = new ArrayList<>();
    values.keySet().forEach(stored::add);
    return stored;
  }
}
