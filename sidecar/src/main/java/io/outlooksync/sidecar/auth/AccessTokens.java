package io.outlooksync.sidecar.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import com.microsoft.aad.msal4j.IAccount;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.MsalException;
import com.microsoft.aad.msal4j.MsalInteractionRequiredException;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.aad.msal4j.SilentParameters;
import io.outlooksync.sidecar.store.Account;
import io.outlooksync.sidecar.store.AccountState;
import io.outlooksync.sidecar.store.Accounts;
import io.outlooksync.sidecar.store.Store;
import java.net.MalformedURLException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Access tokens for Graph, per account, from the stored msal4j cache: the cached token while it is valid,
 * otherwise a refresh (which rotates the refresh token; the new one is stored before the call returns).
 * One refresh per account at a time. When Microsoft refuses the refresh token the account becomes
 * NEEDS_REAUTH with the AADSTS code as its reason, and stays so until its user signs in again.
 */
public final class AccessTokens {
  private static final Logger LOG = LoggerFactory.getLogger(AccessTokens.class);
  private static final long TIMEOUT_SECONDS = 60;

  /** A token is handed out again from memory until this long before it expires (msal4j's own margin too). */
  static final Duration REUSE_MARGIN = Duration.ofMinutes(5);

  private final Accounts accounts;
  private final MsalApps apps;
  /**
   * The last token per account: reading the encrypted msal4j cache from the store costs tens of milliseconds,
   * which every Graph request of a run would otherwise pay. Keyed by identity and sign-in, so a reconfigured app
   * or a different Microsoft account never gets another's token.
   */
  private final Map<Long, Held> held = new ConcurrentHashMap<>();

  private record Held(MicrosoftIdentity identity, String homeAccountId, String token, Instant expiresOn) {}

  public AccessTokens(Store store, MsalApps apps) {
    this.accounts = store.accounts();
    this.apps = apps;
  }

  public String accessToken(long accountId) throws TokenUnavailable {
    return accessToken(accountId, false);
  }

  /**
   * A bearer token for Graph. {@code forceRefresh} skips the cached access token, for when Graph answered
   * 401 to it (revoked early, continuous access evaluation).
   *
   * @throws ReauthRequired the account needs its user to sign in again (already recorded on the account)
   * @throws TokenUnavailable anything else; {@link TokenUnavailable#retryable()} says whether to try later
   */
  public String accessToken(long accountId, boolean forceRefresh) throws TokenUnavailable {
    Account account = load(accountId);
    if (account.state() == AccountState.NEEDS_REAUTH) {
      throw new ReauthRequired(accountId, account.stateReason() == null ? "needs sign-in" : account.stateReason(), null);
    }
    if (account.msHomeAccountId() == null || account.state() == AccountState.NOT_CONNECTED) {
      throw new ReauthRequired(accountId, "not connected to Microsoft", null);
    }
    MsalApps.Client client = apps.forAccount(accountId);
    Held last = held.get(accountId);
    if (!forceRefresh && last != null && last.identity().equals(client.identity()) && last.homeAccountId().equals(account.msHomeAccountId())
        && last.expiresOn().isAfter(Instant.now().plus(REUSE_MARGIN))) {
      return last.token();
    }
    held.remove(accountId);
    try {
      if (!client.lock().tryLock(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new TokenUnavailable(accountId, true, "another refresh did not finish in " + TIMEOUT_SECONDS + " s", null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TokenUnavailable(accountId, true, "interrupted", e);
    }
    try {
      IAccount cached = null;
      for (IAccount a : client.app().getAccounts().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        if (a.homeAccountId().equals(account.msHomeAccountId())) {
          cached = a;
        }
      }
      if (cached == null) {
        throw needsReauth(accountId, "the stored token cache holds no sign-in for this account", null);
      }
      SilentParameters silent = SilentParameters.builder(client.identity().scopes(), cached)
          // Without it msal4j rebuilds the authority from the account's environment and drops a non-443 port.
          .authorityUrl(client.identity().authority())
          .forceRefresh(forceRefresh)
          .build();
      IAuthenticationResult result = client.app().acquireTokenSilently(silent).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (result.expiresOnDate() != null) {
        held.put(accountId, new Held(client.identity(), account.msHomeAccountId(), result.accessToken(), result.expiresOnDate().toInstant()));
      }
      return result.accessToken();
    } catch (ExecutionException e) {
      throw failed(accountId, e.getCause());
    } catch (TimeoutException e) {
      throw new TokenUnavailable(accountId, true, "Microsoft did not answer in " + TIMEOUT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TokenUnavailable(accountId, true, "interrupted", e);
    } catch (MalformedURLException e) {
      throw new TokenUnavailable(accountId, false, "the configured authority is not a URL", e);
    } finally {
      client.lock().unlock();
    }
  }

  private TokenUnavailable failed(long accountId, Throwable cause) {
    if (cause instanceof StoreTokenCache.TokenStoreException) {
      return new TokenUnavailable(accountId, true, "the token cache could not be read or written", cause.getCause());
    }
    if (!(cause instanceof MsalException e)) {
      return new TokenUnavailable(accountId, true, "unexpected failure: " + cause.getClass().getName(), cause);
    }
    String code = MicrosoftErrors.code(e);
    if (e instanceof MsalInteractionRequiredException || MicrosoftErrors.isInvalidGrant(e)) {
      return needsReauth(accountId, "Microsoft refused the refresh token (" + code + "); the user must sign in again", e);
    }
    if (MicrosoftErrors.isAppRejected(e)) {
      String reason = "Microsoft refused the app registration (" + code + "); an administrator must check the client id and secret";
      record(accountId, reason);
      return new TokenUnavailable(accountId, false, reason, e);
    }
    if (e instanceof MsalServiceException s && !MicrosoftErrors.isTransient(s)) {
      return new TokenUnavailable(accountId, false, "Microsoft refused the refresh (" + code + ")", e);
    }
    return new TokenUnavailable(accountId, true, "Microsoft could not be reached or is failing (" + code + ")", e);
  }

  /** Puts the account in NEEDS_REAUTH; the reason holds Microsoft's codes, never a token or its description. */
  private ReauthRequired needsReauth(long accountId, String reason, Throwable cause) {
    try {
      accounts.setState(accountId, AccountState.NEEDS_REAUTH, reason);
      accounts.recordError(accountId, reason);
    } catch (SQLException e) {
      LOG.atError().addKeyValue("account", accountId).setCause(e).log("cannot record NEEDS_REAUTH");
    }
    LOG.atWarn().addKeyValue("account", accountId).addKeyValue("reason", reason).log("account needs sign-in");
    return new ReauthRequired(accountId, reason, cause);
  }

  private void record(long accountId, String reason) {
    try {
      accounts.recordError(accountId, reason);
    } catch (SQLException e) {
      LOG.atError().addKeyValue("account", accountId).setCause(e).log("cannot record the error");
    }
    LOG.atWarn().addKeyValue("account", accountId).addKeyValue("reason", reason).log("token refresh failed");
  }

  private Account load(long accountId) throws TokenUnavailable {
    try {
      return accounts.get(accountId).orElseThrow(() -> new TokenUnavailable(accountId, false, "no such account", null));
    } catch (SQLException e) {
      throw new TokenUnavailable(accountId, true, "the store could not be read", e);
    }
  }
}
