package io.outlooksync.sidecar.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outlooksync.fixtures.m365.Browser;
import io.outlooksync.fixtures.m365.M365Emulator;
import io.outlooksync.fixtures.m365.M365EmulatorExtension;
import io.outlooksync.sidecar.store.Account;
import io.outlooksync.sidecar.store.AccountState;
import io.outlooksync.sidecar.store.Database;
import io.outlooksync.sidecar.store.SecretBox;
import io.outlooksync.sidecar.store.Store;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Sign-in and access tokens with msal4j, unchanged, against the identity emulator over HTTPS, on a real store. */
class SignInTest {
  static final String CLIENT_ID = "11111111-2222-3333-4444-555555555555";
  static final String SECRET = "emulator-secret";
  static final URI REDIRECT = URI.create("https://odoo.example.com/microsoft_account/authentication");
  static final String KEY = SecretBox.newKeyLine("k1");

  @RegisterExtension
  static final M365EmulatorExtension m365 = new M365EmulatorExtension(M365Emulator.builder()
      .mailboxes("alice@example.com", "bob@example.com", "carol@outlook.com")
      .app(CLIENT_ID, SECRET));

  @TempDir
  Path dataDir;

  final MutableClock clock = new MutableClock();
  M365Emulator emulator;
  Browser browser;
  Store store;
  MsalApps apps;
  SignIn signIn;
  AccessTokens tokens;

  @BeforeEach
  void open() throws Exception {
    emulator = m365.emulator();
    browser = new Browser(emulator);
    store = Store.open(freshDatabase(), SecretBox.fromSpec(KEY), clock);
    wire(identity("common", SECRET));
  }

  /** The store's database for one test; PostgresSignInTest runs the same tests on PostgreSQL. */
  Database freshDatabase() throws Exception {
    return Database.embedded(dataDir);
  }

  /** The same database again, as a restarted sidecar opens it. */
  Database reopen() throws Exception {
    return Database.embedded(dataDir);
  }

  @AfterEach
  void close() throws Exception {
    if (store != null) {
      store.close();
    }
  }

  MicrosoftIdentity identity(String tenant, String secret) {
    return MicrosoftIdentity.at(emulator.baseUrl(), tenant, CLIENT_ID, secret, REDIRECT, emulator.sslSocketFactory());
  }

  void wire(MicrosoftIdentity identity) {
    apps = new MsalApps(store.secrets(), identity);
    signIn = new SignIn(store, apps, clock);
    tokens = new AccessTokens(store, apps);
  }

  /** start, the browser part, complete: what one click on "Connect Outlook" does. */
  Account connect(String db, long user, String mailbox) throws Exception {
    Browser.Answer back = browser.signIn(signIn.start(db, user, "login" + user), mailbox);
    assertTrue(back.redirect().containsKey("code"), back.body());
    return signIn.complete(back.redirect().get("code"), back.redirect().get("state"));
  }

  @Test
  void signInConnectsTheAccountAndTheTokensSurviveARestart() throws Exception {
    URI authorize = signIn.start("prod", 7, "alice");
    assertEquals(URI.create(emulator.baseUrl()).getPort(), authorize.getPort());
    assertEquals("/common/oauth2/v2.0/authorize", authorize.getPath());
    Map<String, String> q = Browser.fields(authorize.toString());
    assertEquals(CLIENT_ID, q.get("client_id"));
    assertEquals(REDIRECT.toString(), q.get("redirect_uri"));
    assertEquals("S256", q.get("code_challenge_method"));
    assertEquals(43, q.get("code_challenge").length());
    assertEquals("select_account", q.get("prompt"));
    assertTrue(q.get("scope").contains("Calendars.ReadWrite") && q.get("scope").contains("offline_access"), q.get("scope"));
    assertEquals(AccountState.NOT_CONNECTED, store.accounts().find("prod", 7).orElseThrow().state());

    Browser.Answer back = browser.signIn(authorize, "alice@example.com");
    assertEquals(q.get("state"), back.redirect().get("state"), "Microsoft returns the state unchanged");
    Account account = signIn.complete(back.redirect().get("code"), back.redirect().get("state"));
    assertEquals(AccountState.CONNECTED, account.state());
    assertEquals("alice@example.com", account.msUsername());
    assertEquals(emulator.tenantId(), account.msTenantId());
    assertEquals(emulator.mailbox("alice@example.com").userId() + "." + emulator.tenantId(), account.msHomeAccountId());

    String cache = store.secrets().tokenCache(account.id()).orElseThrow();
    String refreshToken = refreshToken(cache);
    byte[] raw = rawTokenCache(account.id());
    assertFalse(new String(raw, StandardCharsets.ISO_8859_1).contains(refreshToken.substring(0, 40)), "the stored cache is encrypted");
    assertFalse(new String(raw, StandardCharsets.ISO_8859_1).contains("RefreshToken"));

    // A restart: a new store, new msal4j applications, nothing in memory but what the store kept.
    store.close();
    store = Store.open(reopen(), SecretBox.fromSpec(KEY), clock);
    wire(identity("common", SECRET));
    String token = tokens.accessToken(account.id());
    HttpResponse<String> me = browser.get(emulator.graphBaseUrl() + "/me", token);
    assertEquals(200, me.statusCode(), me.body());
    assertEquals("alice@example.com", new ObjectMapper().readTree(me.body()).path("userPrincipalName").asText());
  }

  @Test
  void rotatedRefreshTokensAreKeptInTheStore() throws Exception {
    emulator.controls().singleUseRefreshTokens(true); // a refresh token used twice is refused: only the rotated one works
    Account account = connect("prod", 7, "alice@example.com");
    String rt0 = refreshToken(store.secrets().tokenCache(account.id()).orElseThrow());

    String at1 = tokens.accessToken(account.id(), true);
    String rt1 = refreshToken(store.secrets().tokenCache(account.id()).orElseThrow());
    String at2 = tokens.accessToken(account.id(), true);
    String rt2 = refreshToken(store.secrets().tokenCache(account.id()).orElseThrow());
    assertNotEquals(at1, at2);
    assertNotEquals(rt0, rt1);
    assertNotEquals(rt1, rt2);

    wire(identity("common", SECRET)); // fresh applications read the latest rotated token from the store
    assertNotNull(tokens.accessToken(account.id(), true));
    assertEquals(AccountState.CONNECTED, store.accounts().get(account.id()).orElseThrow().state());
  }

  @Test
  void concurrentCallersOfOneAccountRefreshOneAtATime() throws Exception {
    emulator.controls().singleUseRefreshTokens(true); // two refreshes with the same refresh token: the second is refused
    Account account = connect("prod", 7, "alice@example.com");
    int callers = 6;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        results.add(pool.submit(() -> {
          go.await();
          return tokens.accessToken(account.id(), true);
        }));
      }
      go.countDown();
      Set<String> distinct = new HashSet<>();
      for (Future<String> f : results) {
        distinct.add(f.get(60, TimeUnit.SECONDS));
      }
      assertEquals(callers, distinct.size(), "each forced refresh got its own token");
    } finally {
      pool.shutdownNow();
    }
    assertEquals(AccountState.CONNECTED, store.accounts().get(account.id()).orElseThrow().state());
  }

  @Test
  void anExpiringAccessTokenIsRefreshedWithoutBeingAsked() throws Exception {
    emulator.controls().accessTokenSeconds(60); // inside msal4j's five-minute margin: the cached token is not handed out
    Account account = connect("prod", 7, "alice@example.com");
    String rt0 = refreshToken(store.secrets().tokenCache(account.id()).orElseThrow());
    String token = tokens.accessToken(account.id());
    assertEquals(200, browser.get(emulator.graphBaseUrl() + "/me", token).statusCode());
    assertNotEquals(rt0, refreshToken(store.secrets().tokenCache(account.id()).orElseThrow()), "refreshed, and the new refresh token stored");
  }

  @Test
  void aReplayedStateIsRefusedAndChangesNothing() throws Exception {
    Browser.Answer back = browser.signIn(signIn.start("prod", 7, "alice"), "alice@example.com");
    Account first = signIn.complete(back.redirect().get("code"), back.redirect().get("state"));
    String cacheAfterFirst = store.secrets().tokenCache(first.id()).orElseThrow();
    clock.advance(Duration.ofSeconds(5));

    SignInException replay = assertThrows(SignInException.class,
        () -> signIn.complete(back.redirect().get("code"), back.redirect().get("state")));
    assertEquals(SignInFailure.REPLAYED_STATE, replay.failure());
    assertFalse(replay.getMessage().contains(back.redirect().get("state")), "errors name the state by id, not by value");
    assertTrue(replay.getMessage().contains("user 7"), replay.getMessage());
    assertEquals(first, store.accounts().get(first.id()).orElseThrow(), "not even updated_at moved");
    assertEquals(cacheAfterFirst, store.secrets().tokenCache(first.id()).orElseThrow());

    SignInException failAfterUse = assertThrows(SignInException.class, () -> signIn.fail(back.redirect().get("state"), "access_denied", null));
    assertEquals(SignInFailure.REPLAYED_STATE, failAfterUse.failure());
  }

  @Test
  void aTamperedOrForgedStateIsRefusedAndTheGenuineOneStillWorks() throws Exception {
    Browser.Answer back = browser.signIn(signIn.start("prod", 7, "alice"), "alice@example.com");
    String state = back.redirect().get("state");
    char last = state.charAt(state.length() - 1);
    String tampered = state.substring(0, state.length() - 1) + (last == 'A' ? 'B' : 'A');
    String otherNonce = (state.charAt(0) == 'A' ? 'B' : 'A') + state.substring(1);
    for (String bad : new String[] {tampered, otherNonce, "state-1", "", null, state + "x"}) {
      SignInException e = assertThrows(SignInException.class, () -> signIn.complete(back.redirect().get("code"), bad));
      assertEquals(SignInFailure.BAD_STATE, e.failure(), String.valueOf(bad));
      assertNull(e.accountId());
    }
    assertEquals(AccountState.NOT_CONNECTED, store.accounts().find("prod", 7).orElseThrow().state());
    assertEquals(AccountState.CONNECTED, signIn.complete(back.redirect().get("code"), state).state());
  }

  @Test
  void anExpiredStateIsRefused() throws Exception {
    Browser.Answer back = browser.signIn(signIn.start("prod", 7, "alice"), "alice@example.com");
    clock.advance(OAuthState.LIFETIME.plusSeconds(1));
    SignInException e = assertThrows(SignInException.class,
        () -> signIn.complete(back.redirect().get("code"), back.redirect().get("state")));
    assertEquals(SignInFailure.EXPIRED_STATE, e.failure());
    Account account = store.accounts().find("prod", 7).orElseThrow();
    assertEquals(AccountState.NOT_CONNECTED, account.state());
    assertTrue(store.secrets().tokenCache(account.id()).isEmpty(), "the code was never redeemed");

    clock.advance(Duration.ofDays(2));
    signIn.start("prod", 8, "bob"); // starting a sign-in forgets states older than a day
    SignInException forgotten = assertThrows(SignInException.class,
        () -> signIn.complete(back.redirect().get("code"), back.redirect().get("state")));
    assertEquals(SignInFailure.BAD_STATE, forgotten.failure());
  }

  @Test
  void theStateConnectsTheUserItWasIssuedFor() throws Exception {
    URI forSeven = signIn.start("prod", 7, "alice");
    URI forEight = signIn.start("prod", 8, "bob");
    URI forSevenElsewhere = signIn.start("staging", 7, "alice");
    assertNotNull(forEight);
    assertNotNull(forSevenElsewhere);
    // Whoever's browser carries user 7's link, the sign-in lands on user 7 of database prod.
    Browser.Answer back = browser.signIn(forSeven, "alice@example.com");
    Account connected = signIn.complete(back.redirect().get("code"), back.redirect().get("state"));
    assertEquals("prod", connected.odooDb());
    assertEquals(7, connected.odooUserId());
    assertEquals("alice@example.com", connected.msUsername());
    assertEquals(AccountState.NOT_CONNECTED, store.accounts().find("prod", 8).orElseThrow().state());
    assertEquals(AccountState.NOT_CONNECTED, store.accounts().find("staging", 7).orElseThrow().state());
  }

  @Test
  void declinedConsentIsReportedAndLeavesTheAccountAlone() throws Exception {
    Browser.Answer back = browser.signIn(signIn.start("prod", 7, "alice"), "alice@example.com", "decline=1");
    assertEquals("access_denied", back.redirect().get("error"));
    SignInException e = assertThrows(SignInException.class,
        () -> signIn.fail(back.redirect().get("state"), back.redirect().get("error"), back.redirect().get("error_description")));
    assertEquals(SignInFailure.CONSENT_DENIED, e.failure());
    assertEquals("access_denied AADSTS65004", e.microsoftCode());
    Account account = store.accounts().find("prod", 7).orElseThrow();
    assertEquals(AccountState.NOT_CONNECTED, account.state());
    assertEquals("sign-in failed: CONSENT_DENIED (access_denied AADSTS65004)", account.lastError());
    SignInException again = assertThrows(SignInException.class, () -> signIn.complete("any-code", back.redirect().get("state")));
    assertEquals(SignInFailure.REPLAYED_STATE, again.failure(), "the error used the state up");
  }

  @Test
  void aRevokedRefreshTokenPutsTheAccountInNeedsReauth() throws Exception {
    Account account = connect("prod", 7, "bob@example.com");
    String cache = store.secrets().tokenCache(account.id()).orElseThrow();
    emulator.revokeRefreshTokens("bob@example.com");

    ReauthRequired e = assertThrows(ReauthRequired.class, () -> tokens.accessToken(account.id(), true));
    assertFalse(e.retryable());
    Account after = store.accounts().get(account.id()).orElseThrow();
    assertEquals(AccountState.NEEDS_REAUTH, after.state());
    assertTrue(after.stateReason().contains("AADSTS50173"), after.stateReason());
    assertNotNull(after.lastError());
    assertNotNull(after.lastErrorAt());
    for (String text : new String[] {after.stateReason(), after.lastError(), e.getMessage()}) {
      assertFalse(text.contains(refreshToken(cache).substring(0, 20)), text);
      assertFalse(text.contains(accessToken(cache).substring(0, 20)), text);
    }
    // Until the user signs in again, nothing more is asked of Microsoft, not even the still valid access token.
    assertThrows(ReauthRequired.class, () -> tokens.accessToken(account.id()));

    Account reconnected = connect("prod", 7, "bob@example.com");
    assertEquals(AccountState.CONNECTED, reconnected.state());
    assertNull(reconnected.stateReason());
    assertNotNull(tokens.accessToken(account.id(), true));
  }

  @Test
  void aWrongClientSecretIsReportedAndConnectsNothingUntilTheSecretIsFixed() throws Exception {
    apps.reconfigure(identity("common", "not-the-secret"));
    Browser.Answer back = browser.signIn(signIn.start("prod", 7, "alice"), "alice@example.com");
    SignInException e = assertThrows(SignInException.class,
        () -> signIn.complete(back.redirect().get("code"), back.redirect().get("state")));
    assertEquals(SignInFailure.APP_REJECTED, e.failure());
    assertEquals("invalid_client AADSTS7000215", e.microsoftCode());
    Account account = store.accounts().find("prod", 7).orElseThrow();
    assertEquals(AccountState.NOT_CONNECTED, account.state());
    assertTrue(store.secrets().tokenCache(account.id()).isEmpty());
    assertTrue(account.lastError().contains("APP_REJECTED"), account.lastError());

    apps.reconfigure(identity("common", SECRET)); // the addon pushed the right secret: the applications are rebuilt
    assertEquals(AccountState.CONNECTED, connect("prod", 7, "alice@example.com").state());
  }

  @Test
  void organizationsRefusesAPersonalAccount() throws Exception {
    wire(identity("organizations", SECRET));
    URI authorize = signIn.start("prod", 9, "carol");
    assertEquals("/organizations/oauth2/v2.0/authorize", authorize.getPath());
    Browser.Answer page = browser.signIn(authorize, "carol@outlook.com");
    assertEquals(400, page.status());
    assertTrue(page.body().contains("AADSTS50020"), page.body());

    // A code obtained elsewhere is refused at redemption just as clearly.
    URI viaCommon = URI.create(authorize.toString().replace("/organizations/", "/common/"));
    Browser.Answer back = browser.signIn(viaCommon, "carol@outlook.com");
    SignInException e = assertThrows(SignInException.class,
        () -> signIn.complete(back.redirect().get("code"), back.redirect().get("state")));
    assertEquals(SignInFailure.WRONG_ACCOUNT, e.failure());
    assertEquals("invalid_grant AADSTS50020", e.microsoftCode());
    assertEquals(AccountState.NOT_CONNECTED, store.accounts().find("prod", 9).orElseThrow().state());
  }

  @Test
  void aTenantIdAuthoritySignsInAndRefreshes() throws Exception {
    wire(identity(emulator.tenantId(), SECRET));
    Account account = connect("prod", 7, "alice@example.com");
    assertEquals(AccountState.CONNECTED, account.state());
    String token = tokens.accessToken(account.id(), true);
    assertEquals(200, browser.get(emulator.graphBaseUrl() + "/me", token).statusCode());
  }

  @Test
  void reconnectingWithAnotherMailboxKeepsOnlyTheNewOneInTheCache() throws Exception {
    Account alice = connect("prod", 7, "alice@example.com");
    Account bob = connect("prod", 7, "bob@example.com");
    assertEquals(alice.id(), bob.id());
    assertEquals("bob@example.com", bob.msUsername());
    String cache = store.secrets().tokenCache(bob.id()).orElseThrow();
    assertFalse(cache.contains(emulator.mailbox("alice@example.com").userId()), "alice's tokens were removed");
    String token = tokens.accessToken(bob.id(), true);
    HttpResponse<String> me = browser.get(emulator.graphBaseUrl() + "/me", token);
    assertEquals("bob@example.com", new ObjectMapper().readTree(me.body()).path("userPrincipalName").asText());
  }

  byte[] rawTokenCache(long accountId) throws Exception {
    return store.database().transaction(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT cache FROM token_cache WHERE account_id = ?")) {
        p.setLong(1, accountId);
        try (ResultSet rs = p.executeQuery()) {
          assertTrue(rs.next());
          return rs.getBytes(1);
        }
      }
    });
  }

  static String refreshToken(String cacheJson) throws Exception {
    return secretOf(cacheJson, "RefreshToken");
  }

  static String accessToken(String cacheJson) throws Exception {
    return secretOf(cacheJson, "AccessToken");
  }

  private static String secretOf(String cacheJson, String section) throws Exception {
    JsonNode entries = new ObjectMapper().readTree(cacheJson).path(section);
    assertEquals(1, entries.size(), section + " entries");
    return entries.elements().next().path("secret").asText();
  }
}
