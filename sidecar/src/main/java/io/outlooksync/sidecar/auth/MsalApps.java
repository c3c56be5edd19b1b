package io.outlooksync.sidecar.auth;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import io.outlooksync.sidecar.store.Secrets;
import java.net.MalformedURLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One msal4j {@link ConfidentialClientApplication} per account, each with its own token cache bound to that
 * account's row. msal4j keeps one cache per application and loads it through the aspect in several separate
 * steps of one call; with one application shared by all accounts, two accounts refreshing at once could
 * save one account's tokens under the other's row. Separate applications make that impossible, at the
 * cost of one OpenID metadata fetch per account and process.
 *
 * <p>A new configuration (the addon pushed another client secret, or an admin changed the authority)
 * replaces the whole set: calls already running finish on the old applications, new calls get new ones.
 */
public final class MsalApps {
  /** An account's application and the lock that keeps its refreshes one at a time (refresh tokens rotate). */
  record Client(ConfidentialClientApplication app, ReentrantLock lock, MicrosoftIdentity identity) {}

  private final Secrets secrets;
  /** Outlive reconfiguration, so a refresh on an old application and one on its successor still take turns. */
  private final Map<Long, ReentrantLock> locks = new ConcurrentHashMap<>();
  /**
   * Where msal4j runs its calls. Its default, the common fork-join pool, has one thread on a 2-core host, so every
   * account's sign-in and refresh took turns on it, each waiting out the others' round trips to Microsoft. The
   * callers are bounded (sync workers, API threads), and so are these threads, which end when idle.
   */
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "msal");
    t.setDaemon(true);
    return t;
  });
  private volatile Generation current;

  private record Generation(MicrosoftIdentity identity, Map<Long, Client> clients) {}

  public MsalApps(Secrets secrets, MicrosoftIdentity identity) {
    this.secrets = secrets;
    this.current = new Generation(identity, new ConcurrentHashMap<>());
  }

  public MicrosoftIdentity identity() {
    return current.identity();
  }

  /** Takes a new configuration; the next call of every account builds its application from it. */
  public void reconfigure(MicrosoftIdentity identity) {
    current = new Generation(identity, new ConcurrentHashMap<>());
  }

  Client forAccount(long accountId) {
    Generation g = current;
    ReentrantLock lock = locks.computeIfAbsent(accountId, id -> new ReentrantLock());
    return g.clients().computeIfAbsent(accountId, id -> new Client(build(g.identity(), id), lock, g.identity()));
  }

  /** Drops an account's application (the account was deleted or reset). */
  public void forget(long accountId) {
    current.clients().remove(accountId);
  }

  private ConfidentialClientApplication build(MicrosoftIdentity identity, long accountId) {
    try {
      ConfidentialClientApplication.Builder b = ConfidentialClientApplication
          .builder(identity.clientId(), ClientCredentialFactory.createFromSecret(identity.clientSecret()))
          .authority(identity.authority())
          .instanceDiscovery(identity.instanceDiscovery())
          .logPii(false)
          .executorService(executor);
      if (identity.sslSocketFactory() != null) {
        b.sslSocketFactory(identity.sslSocketFactory());
      }
      return b.setTokenCacheAccessAspect(new StoreTokenCache(secrets, accountId)).build();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("not a valid authority: " + identity.authority(), e);
    }
  }
}
