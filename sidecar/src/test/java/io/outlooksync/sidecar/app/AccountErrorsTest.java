package io.outlooksync.sidecar.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.outlooksync.fixtures.m365.M365Emulator;
import io.outlooksync.fixtures.m365.M365EmulatorExtension;
import io.outlooksync.fixtures.odoo.Outage;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an account's status says when its runs fail as a whole: a sentence a user or an administrator can act on
 * (sign in again, Odoo is unreachable), whichever path ran it (Sync now or the scheduler), and nothing once a
 * run succeeds again.
 */
class AccountErrorsTest {
  static final String CLIENT_ID = "5e2d3c4b-6a7f-4b8c-9d0e-1f2a3b4c5d6e";
  static final String CLIENT_SECRET = "client-secret-for-the-account-errors-test";
  static final String SHARED = "shared-secret-for-the-account-errors-test";
  static final Duration WAIT = Duration.ofSeconds(40);

  @RegisterExtension
  static final M365EmulatorExtension m365 = new M365EmulatorExtension(M365Emulator.builder()
      .mailboxes("alice@example.com").app(CLIENT_ID, CLIENT_SECRET));

  @TempDir
  Path dataDir;
  EmulatedSidecar emulated;
  ApiClient api;
  long account;
  String sync;

  @BeforeEach
  void start() throws Exception {
    emulated = new EmulatedSidecar(m365.emulator(), dataDir, CLIENT_ID, CLIENT_SECRET, SHARED);
    api = emulated.api;
    account = emulated.connectAlice();
    sync = "/api/users/prod/" + emulated.aliceUid + "/sync";
    ApiClient.Reply first = api.post(sync, "{}");
    assertEquals(200, first.status(), first.body());
  }

  @AfterEach
  void stop() {
    emulated.odooEmulator.outage(Outage.NONE);
    emulated.close();
  }

  private JsonNode status() throws Exception {
    return api.get("/api/users/prod/" + emulated.aliceUid + "/status").json();
  }

  private JsonNode awaitLastError() throws Exception {
    long until = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < until) {
      JsonNode s = status();
      if (!s.get("last_error").isNull()) {
        return s;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no last_error within " + WAIT.toSeconds() + " s: " + status());
  }

  /** A password reset: Microsoft refuses the saved refresh token; the status says to sign in again, in words. */
  @Test
  void aRevokedSignInSaysTheUserMustSignInAgain() throws Exception {
    m365.emulator().revokeRefreshTokens("alice@example.com");
    m365.emulator().expireAccessTokens("alice@example.com");
    ApiClient.Reply r = api.post(sync, "{}");
    assertTrue(r.status() < 500, r.body());
    JsonNode s = status();
    assertEquals("NEEDS_REAUTH", s.get("state").asText(), s.toString());
    String lastError = s.get("last_error").asText();
    assertTrue(lastError.startsWith("Microsoft refused the refresh token (invalid_grant"), lastError);
    assertTrue(lastError.endsWith("the user must sign in again"), lastError);
    assertFalse(lastError.contains("Exception"), "a sentence, not a class name: " + lastError);
    assertFalse(lastError.matches("(?s).*(eyJ|[A-Za-z0-9_-]{40}).*"), "nothing shaped like a token: " + lastError);
  }

  /**
   * The runner was built, then Odoo stops answering: the scheduled run (started by a Graph notification) fails
   * and the account says Odoo cannot be reached; the next successful run clears it.
   */
  @Test
  void aScheduledRunWhileOdooIsDownSaysOdooCannotBeReached() throws Exception {
    String clientState = emulated.storedSubscription(account, "sub-down");
    emulated.odooEmulator.outage(Outage.REFUSED);
    assertEquals(202, emulated.graphNotification("sub-down", clientState).status());
    JsonNode s = awaitLastError();
    assertTrue(s.get("last_error").asText().startsWith("Odoo cannot be reached"), s.toString());
    assertEquals("CONNECTED", s.get("state").asText(), "an outage is not the user's to fix: " + s);

    emulated.odooEmulator.outage(Outage.NONE);
    ApiClient.Reply r = api.post(sync, "{}");
    assertEquals(200, r.status(), r.body());
    assertTrue(status().get("last_error").isNull(), status().toString());
  }

  /**
   * The runner has to be built again (Odoo's address changed) while Odoo cannot be reached: the scheduler's
   * run never starts, and until now said nothing; it must say what Sync now says.
   */
  @Test
  void aScheduledRunThatCannotReachOdooToStartSaysSo() throws Exception {
    String clientState = emulated.storedSubscription(account, "sub-unbuilt");
    String sameOdooOtherName = emulated.odooEmulator.url() + "/"; // another string: the runner is built again
    ApiClient.Reply configured = api.post("/api/configure", "{\"odoo_url\": \"" + sameOdooOtherName + "\"}");
    assertEquals(200, configured.status(), configured.body());
    emulated.odooEmulator.outage(Outage.REFUSED);
    assertEquals(202, emulated.graphNotification("sub-unbuilt", clientState).status());
    JsonNode s = awaitLastError();
    assertTrue(s.get("last_error").asText().startsWith("Odoo cannot be reached"), s.toString());

    emulated.odooEmulator.outage(Outage.NONE);
    ApiClient.Reply r = api.post(sync, "{}");
    assertEquals(200, r.status(), r.body());
    assertTrue(status().get("last_error").isNull(), status().toString());
  }
}
