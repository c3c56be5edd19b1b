package io.outlooksync.sidecar.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import com.microsoft.aad.msal4j.AuthorizationCodeParameters;
import com.microsoft.aad.msal4j.AuthorizationRequestUrlParameters;
import com.microsoft.aad.msal4j.IAccount;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.MsalException;
import com.microsoft.aad.msal4j.Prompt;
import com.microsoft.aad.msal4j.ResponseMode;
import io.outlooksync.sidecar.store.Account;
import io.outlooksync.sidecar.store.Accounts;
import io.outlooksync.sidecar.store.OAuthStates;
import io.outlooksync.sidecar.store.Store;
import java.net.URI;
import java.net.URISyntaxException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Connecting an Odoo user's Microsoft account: authorization code flow with PKCE and a signed, single-use
 * state. {@link #start} gives the URL the user's browser goes to; Microsoft sends the browser back to Odoo,
 * whose addon forwards {@code code} and {@code state} to {@link #complete} (or {@code error} to {@link #fail}).
 */
public final class SignIn {
  private static final Logger LOG = LoggerFactory.getLogger(SignIn.class);
  private static final long MICROSOFT_TIMEOUT_SECONDS = 60;

  /** Used and expired states are kept this long, so a late replay is still told apart from a forgery. */
  private static final Duration KEEP_STATES = Duration.ofDays(1);

  private final Accounts accounts;
  private final MsalApps apps;
  private final OAuthState states;
  private final OAuthStates stateRows;
  private final Clock clock;

  public SignIn(Store store, MsalApps apps, Clock clock) {
    this.accounts = store.accounts();
    this.apps = apps;
    this.states = new OAuthState(store.oauthStates(), clock);
    this.stateRows = store.oauthStates();
    this.clock = clock;
  }

  /** The authorize URL for an Odoo user; their account is created NOT_CONNECTED if new. */
  public URI start(String odooDb, long odooUserId, String odooLogin) throws SQLException {
    return start(odooDb, odooUserId, odooLogin, null);
  }

  /**
   * As {@link #start(String, long, String)}, with the address Microsoft should suggest. Always asks Microsoft
   * to let the user pick the account: a browser signed in to a personal and a work account would otherwise
   * connect whichever session happens to be active.
   */
  public URI start(String odooDb, long odooUserId, String odooLogin, String loginHint) throws SQLException {
    Account account = accounts.ensure(odooDb, odooUserId, odooLogin);
    stateRows.purge(clock.instant().minus(KEEP_STATES)); // a few rows at most: sign-ins are rare
    OAuthState.Issued issued = states.issue(odooDb, odooUserId);
    MsalApps.Client client = apps.forAccount(account.id());
    AuthorizationRequestUrlParameters.Builder p = AuthorizationRequestUrlParameters
        .builder(client.identity().redirectUri().toString(), client.identity().scopes())
        // form_post: Microsoft POSTs code and state to the redirect URI, so they never sit in a URL (history,
        // proxy logs). msal4j 1.26 forces it anyway (a requested query mode is overridden); the addon's route
        // takes POST.
        .responseMode(ResponseMode.FORM_POST)
        .state(issued.state())
        .codeChallenge(issued.codeChallenge())
        .codeChallengeMethod("S256")
        .prompt(Prompt.SELECT_ACCOUNT);
    if (loginHint != null && !loginHint.isBlank()) {
      p.loginHint(loginHint);
    }
    LOG.atInfo().addKeyValue("account", account.id()).addKeyValue("db", odooDb).addKeyValue("user", odooUserId)
        .addKeyValue("state_id", issued.stateId()).log("sign-in started");
    try {
      return client.app().getAuthorizationRequestUrl(p.build()).toURI();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("msal4j built an invalid authorize URL", e);
    }
  }

  /**
   * Redeems the code Microsoft sent back and connects the account the state was issued for. The state is used
   * up first, so a replay or a concurrent second request is refused whatever happens next; the account changes
   * only when Microsoft accepted the code.
   */
  public Account complete(String code, String state) throws SignInException, SQLException {
    OAuthState.Verified v = verify(state);
    Account account = accountOf(v);
    claim(v, account.id());
    if (code == null || code.isBlank()) {
      throw refused(account, v, SignInFailure.CODE_REJECTED, null, "no code in the redirect", null);
    }
    MsalApps.Client client = apps.forAccount(account.id());
    client.lock().lock(); // the cache is being written: no refresh of this account meanwhile
    try {
      IAuthenticationResult result;
      try {
        result = client.app().acquireToken(AuthorizationCodeParameters.builder(code, client.identity().redirectUri())
            .scopes(client.identity().scopes()).codeVerifier(v.codeVerifier()).build())
            .get(MICROSOFT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw redeemFailed(account, v, e.getCause());
      } catch (TimeoutException e) {
        throw refused(account, v, SignInFailure.MICROSOFT_UNREACHABLE, null, "no answer in " + MICROSOFT_TIMEOUT_SECONDS + " s", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw refused(account, v, SignInFailure.MICROSOFT_UNREACHABLE, null, "interrupted", e);
      }
      IAccount signedIn = result.account();
      if (signedIn == null || signedIn.homeAccountId() == null) {
        throw refused(account, v, SignInFailure.MICROSOFT_ERROR, null, "the token reply named no account (id_token, client_info)", null);
      }
      forgetOthers(client, signedIn, account);
      String home = signedIn.homeAccountId();
      String tenantId = home.substring(home.indexOf('.') + 1); // uid.utid: utid is the home tenant
      accounts.connected(account.id(), home, signedIn.username(), tenantId);
      LOG.atInfo().addKeyValue("account", account.id()).addKeyValue("db", v.odooDb()).addKeyValue("user", v.odooUserId())
          .addKeyValue("tenant", tenantId).addKeyValue("state_id", v.stateId()).log("sign-in completed: account connected");
      return accounts.get(account.id()).orElseThrow();
    } finally {
      client.lock().unlock();
    }
  }

  /**
   * Microsoft sent the browser back with an error ({@code error=access_denied} when the user declined): the
   * state is used up and the error recorded on the account, whose state does not change. Always throws
   * the {@link SignInException} to report.
   */
  public void fail(String state, String error, String description) throws SignInException, SQLException {
    OAuthState.Verified v = verify(state);
    Account account = accountOf(v);
    claim(v, account.id());
    SignInFailure kind = "access_denied".equals(error) || "consent_required".equals(error)
        ? SignInFailure.CONSENT_DENIED : SignInFailure.MICROSOFT_ERROR;
    throw refused(account, v, kind, MicrosoftErrors.code(error, description), "Microsoft redirected with an error", null);
  }

  private OAuthState.Verified verify(String state) throws SignInException, SQLException {
    try {
      return states.verify(state);
    } catch (SignInException e) {
      LOG.atWarn().addKeyValue("failure", e.failure()).addKeyValue("detail", e.getMessage()).log("sign-in refused");
      throw e;
    }
  }

  private void claim(OAuthState.Verified v, long accountId) throws SignInException, SQLException {
    try {
      states.claim(v, accountId);
    } catch (SignInException e) {
      LOG.atWarn().addKeyValue("failure", e.failure()).addKeyValue("detail", e.getMessage()).log("sign-in refused");
      throw e;
    }
  }

  private Account accountOf(OAuthState.Verified v) throws SignInException, SQLException {
    Account account = accounts.find(v.odooDb(), v.odooUserId()).orElse(null);
    if (account == null) {
      SignInException e = new SignInException(SignInFailure.BAD_STATE, null, null,
          "state " + v.stateId() + ": the account of db " + v.odooDb() + ", user " + v.odooUserId() + " was deleted", null);
      LOG.atWarn().addKeyValue("failure", e.failure()).addKeyValue("detail", e.getMessage()).log("sign-in refused");
      throw e;
    }
    return account;
  }

  private SignInException redeemFailed(Account account, OAuthState.Verified v, Throwable cause) throws SQLException {
    if (cause instanceof StoreTokenCache.TokenStoreException store) {
      throw (SQLException) store.getCause();
    }
    if (!(cause instanceof MsalException e)) {
      return refused(account, v, SignInFailure.MICROSOFT_ERROR, null, String.valueOf(cause), cause);
    }
    String code = MicrosoftErrors.code(e);
    SignInFailure kind;
    if (MicrosoftErrors.isAppRejected(e)) {
      kind = SignInFailure.APP_REJECTED;
    } else if (MicrosoftErrors.isInvalidGrant(e)) {
      kind = "AADSTS50020".equals(MicrosoftErrors.aadsts(e.getMessage())) ? SignInFailure.WRONG_ACCOUNT : SignInFailure.CODE_REJECTED;
    } else if (e instanceof com.microsoft.aad.msal4j.MsalServiceException) {
      kind = SignInFailure.MICROSOFT_ERROR;
    } else {
      kind = SignInFailure.MICROSOFT_UNREACHABLE; // msal4j's client-side failures: network, TLS, timeouts
    }
    return refused(account, v, kind, code, "redeeming the code failed", cause);
  }

  /** Records the failure on the account (ids and codes only), logs it, and returns it to throw. */
  private SignInException refused(Account account, OAuthState.Verified v, SignInFailure kind, String microsoftCode, String detail,
      Throwable cause) throws SQLException {
    SignInException e = new SignInException(kind, account.id(), microsoftCode,
        "state " + v.stateId() + " (db " + v.odooDb() + ", user " + v.odooUserId() + "): " + detail, cause);
    accounts.recordError(account.id(), "sign-in failed: " + kind + (microsoftCode == null ? "" : " (" + microsoftCode + ")"));
    LOG.atWarn().addKeyValue("failure", e.failure()).addKeyValue("detail", e.getMessage()).log("sign-in refused");
    return e;
  }

  /** After a reconnect with another Microsoft account, the old one's tokens have no business in the cache. */
  private static void forgetOthers(MsalApps.Client client, IAccount keep, Account account) throws SQLException {
    try {
      for (IAccount other : client.app().getAccounts().get(MICROSOFT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        if (!keep.homeAccountId().equals(other.homeAccountId())) {
          client.app().removeAccount(other).get(MICROSOFT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StoreTokenCache.TokenStoreException store) {
        throw (SQLException) store.getCause();
      }
      throw new SQLException("cannot tidy the token cache of account " + account.id(), e.getCause());
    } catch (TimeoutException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new SQLException("cannot tidy the token cache of account " + account.id(), e);
    }
  }
}
