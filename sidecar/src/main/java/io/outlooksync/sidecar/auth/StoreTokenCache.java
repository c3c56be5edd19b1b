package io.outlooksync.sidecar.auth;

import com.microsoft.aad.msal4j.ITokenCacheAccessAspect;
import com.microsoft.aad.msal4j.ITokenCacheAccessContext;
import com.microsoft.aad.msal4j.TokenCache;
import io.outlooksync.sidecar.store.Secrets;
import java.sql.SQLException;

/**
 * One account's msal4j token cache, kept in the store (encrypted by {@link Secrets}) rather than in memory:
 * loaded before every access, so a restarted sidecar, or another sidecar on the same database, sees the
 * latest refresh token; written back only when msal4j changed it (a sign-in or a refresh, which rotates the
 * refresh token).
 */
final class StoreTokenCache implements ITokenCacheAccessAspect {
  /** What msal4j writes for a cache with nothing in it; loaded when the store has no row. */
  private static final String EMPTY = new TokenCache().serialize();

  private final Secrets secrets;
  private final long accountId;

  StoreTokenCache(Secrets secrets, long accountId) {
    this.secrets = secrets;
    this.accountId = accountId;
  }

  @Override
  public void beforeCacheAccess(ITokenCacheAccessContext context) {
    try {
      context.tokenCache().deserialize(secrets.tokenCache(accountId).orElse(EMPTY));
    } catch (SQLException e) {
      throw new TokenStoreException("cannot read the token cache of account " + accountId, e);
    }
  }

  @Override
  public void afterCacheAccess(ITokenCacheAccessContext context) {
    if (!context.hasCacheChanged()) {
      return;
    }
    try {
      secrets.putTokenCache(accountId, context.tokenCache().serialize());
    } catch (SQLException e) {
      throw new TokenStoreException("cannot write the token cache of account " + accountId, e);
    }
  }

  /** The store failed under msal4j; carried through msal4j's futures and unwrapped by the callers. */
  static final class TokenStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TokenStoreException(String message, SQLException cause) {
      super(message, cause);
    }
  }
}
