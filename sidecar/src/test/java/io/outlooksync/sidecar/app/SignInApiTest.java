package io.outlooksync.sidecar.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.outlooksync.fixtures.m365.Browser;
import io.outlooksync.fixtures.m365.M365Emulator;
import io.outlooksync.fixtures.m365.M365EmulatorExtension;
import io.outlooksync.sidecar.auth.ReauthRequired;
import io.outlooksync.sidecar.store.AccountState;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user connected end to end through the local API, the way the addon does it: start, the browser at the
 * Microsoft (emulator) sign-in, the redirect's code and state forwarded, then status; over real HTTP and HTTPS.
 */
class SignInApiTest {
  static final String CLIENT_ID = "5f3c1a52-0c3a-4b5e-9f55-6a4f3e2d1c0b";
  static final String CLIENT_SECRET = "client-secret-value-for-the-test";
  static final String SHARED = "shared-secret-for-the-signin-test";

  @RegisterExtension
  static final M365EmulatorExtension m365 = new M365EmulatorExtension(M365Emulator.builder()
      .mailboxes("alice@example.com").app(CLIENT_ID, CLIENT_SECRET));

  @TempDir
  Path dataDir;
  Sidecar sidecar;
  ApiClient api;
  final List<String> logLines = Collections.synchronizedList(new ArrayList<>());
  Consumer<String> previousSink;

  @BeforeEach
  void start() throws Exception {
    previousSink = Log.setSink(logLines::add);
    Map<String, String> env = Demo.wiredTo(m365.emulator(), dataDir, CLIENT_ID, CLIENT_SECRET, SHARED);
    env.put("OUTLOOK_SYNC_ODOO_URL", "https://odoo.example.com");
    sidecar = Sidecar.start(Config.load(null, env, new ArrayList<>()));
    api = new ApiClient(URI.create("http://127.0.0.1:" + sidecar.address().getPort()), SHARED);
  }

  @AfterEach
  void stop() {
    sidecar.close();
    Log.setSink(previousSink);
  }

  @Test
  void aUserConnectsThroughTheApiAndARevokedTokenShowsNeedsReauth() throws Exception {
    ApiClient.Reply started = api.post("/api/users/prod/7/signin/start", "{\"login\": \"alice\"}");
    assertEquals(200, started.status(), started.body());
    String authorize = started.json().get("authorize_url").asText();
    assertTrue(authorize.startsWith(m365.emulator().baseUrl() + "/common/oauth2/v2.0/authorize?"), authorize);
    assertTrue(authorize.contains("redirect_uri=" + URLEncoded("https://odoo.example.com/microsoft_account/authentication")), authorize);

    Browser.Answer back = new Browser(m365.emulator()).signIn(URI.create(authorize), "alice@example.com");
    assertTrue(back.body().contains("action=\"https://odoo.example.com/microsoft_account/authentication\""),
        "msal4j asks for form_post: Microsoft posts code and state to Odoo's route");
    Map<String, String> redirect = back.redirect();
    String body = "{\"code\": \"" + redirect.get("code") + "\", \"state\": \"" + redirect.get("state") + "\"}";
    ApiClient.Reply completed = api.post("/api/signin/complete", body);
    assertEquals(200, completed.status(), completed.body());
    assertEquals("CONNECTED", completed.json().get("state").asText());
    assertEquals("alice@example.com", completed.json().get("ms_username").asText());

    JsonNode status = api.get("/api/users/prod/7/status").json();
    assertEquals("CONNECTED", status.get("state").asText());

    ApiClient.Reply replayed = api.post("/api/signin/complete", body);
    assertEquals(400, replayed.status());
    assertEquals("replayed_state", replayed.errorCode());

    long account = sidecar.store().accounts().find("prod", 7).orElseThrow().id();
    assertFalse(sidecar.microsoft().accessTokens().orElseThrow().accessToken(account).isEmpty());
    m365.emulator().revokeRefreshTokens("alice@example.com");
    assertThrows(ReauthRequired.class, () -> sidecar.microsoft().accessTokens().orElseThrow().accessToken(account, true));
    JsonNode after = api.get("/api/users/prod/7/status").json();
    assertEquals(AccountState.NEEDS_REAUTH.name(), after.get("state").asText());
    assertTrue(after.get("state_reason").asText().contains("AADSTS50173"), after.toString());

    String log = String.join("\n", logLines);
    assertFalse(log.contains(CLIENT_SECRET), "client secret in the log");
    assertFalse(log.contains(redirect.get("code")), "authorization code in the log");
    assertFalse(log.contains(SHARED), "shared secret in the log");
  }

  @Test
  void consentDeclinedInTheBrowserIsReportedAndConnectsNothing() throws Exception {
    String authorize = api.post("/api/users/prod/8/signin/start", "{}").json().get("authorize_url").asText();
    String state = query(authorize).get("state");
    ApiClient.Reply r = api.post("/api/signin/complete", "{\"state\": \"" + state + "\", \"error\": \"access_denied\", "
        + "\"error_description\": \"AADSTS65004: User declined to consent to access the app.\"}");
    assertEquals(400, r.status());
    assertEquals("consent_denied", r.errorCode());
    assertEquals("NOT_CONNECTED", api.get("/api/users/prod/8/status").json().get("state").asText());
  }

  private static Map<String, String> query(String url) {
    Map<String, String> out = new HashMap<>();
    for (String pair : url.substring(url.indexOf('?') + 1).split("&")) {
      int eq = pair.indexOf('=');
      out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  private static String URLEncoded(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
