package io.outlooksync.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.sidecar.api.Endpoints;
import io.outlooksync.sidecar.store.AccountState;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code outlook-sync-shell -c "..."} for every command, against a real sidecar over HTTP. */
class CommandLineTest {
  @TempDir
  Path dir;
  TestSidecar sidecar;

  @BeforeEach
  void start() throws Exception {
    sidecar = new TestSidecar(dir.resolve("data"));
  }

  @AfterEach
  void stop() {
    sidecar.close();
  }

  private TestSidecar.Run ok(String line) {
    TestSidecar.Run r = sidecar.run(line);
    assertEquals(0, r.code(), r.toString());
    assertEquals("", r.err(), r.toString());
    assertFalse(r.out().contains("\033"), "-c never colours: " + r);
    return r;
  }

  private TestSidecar.Run fails(String line, int code, String message) {
    TestSidecar.Run r = sidecar.run(line);
    assertEquals(code, r.code(), r.toString());
    assertTrue(r.err().contains(message), r.toString());
    return r;
  }

  @Test
  void helpListsEveryCommandAndExplainsEach() {
    String list = ok("help").out();
    for (String c : List.of("help", "health", "status", "accounts", "show", "pause", "resume", "stop", "quit")) {
      assertTrue(list.lines().anyMatch(l -> l.startsWith(c)), c + " missing from:\n" + list);
      assertTrue(ok("help " + c).out().startsWith(c), c);
    }
    assertTrue(ok("help show").out().contains("<db>/<userId>"));
    assertTrue(ok("help exit").out().contains("also: exit"));
    fails("help nothing", 2, "unknown command nothing");
  }

  @Test
  void healthNeedsNoSecret() {
    TestSidecar.Run r = TestSidecar.Run.of(List.of("--sidecar", sidecar.url, "-c", "health"), Map.of());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("status   degraded (waiting for settings: odoo_url"), r.out());
    assertTrue(r.out().contains("store    ok"), r.out());
    assertTrue(r.out().contains("sidecar  " + sidecar.url), r.out());
  }

  @Test
  void statusCountsAccountsByState() {
    String out = ok("status").out();
    assertTrue(out.contains("configured  no, missing: odoo_url"), out);
    assertTrue(out.contains("CONNECTED 1, NEEDS_REAUTH 1"), out);
    assertTrue(out.contains("NOT_CONNECTED 1"), out);
    assertTrue(out.contains("paused      no"), out);
  }

  @Test
  void accountsIsAnAlignedTable() {
    List<String> lines = ok("accounts").out().lines().toList();
    assertTrue(lines.get(0).startsWith("USER"), lines.toString());
    assertEquals("archive/9", lines.get(1).split(" +")[0]);
    assertEquals(List.of("prod/7", "alice", "CONNECTED", "alice@example.com", "2026-11-24T09:00:00Z", "-"),
        List.of(lines.get(2).split(" {2,}")));
    String bob = lines.get(3);
    int state = lines.get(0).indexOf("STATE");
    int error = lines.get(0).indexOf("LAST ERROR");
    assertEquals(state, bob.indexOf("NEEDS_REAUTH"), "columns line up:\n" + String.join("\n", lines));
    assertEquals(error, bob.indexOf("token refresh failed: invalid_grant"), String.join("\n", lines));
    assertTrue(lines.get(lines.size() - 1).contains("1 account(s) need the user to sign in again"), lines.toString());

    List<String> reauth = ok("accounts --state needs_reauth").out().lines().filter(l -> l.contains("/")).toList();
    assertEquals(1, reauth.size(), reauth.toString());
    assertTrue(reauth.get(0).startsWith("prod/8"));
    assertTrue(ok("accounts --state PAUSED").out().contains("no account is PAUSED"));
    fails("accounts --state sleepy", 2, "unknown state sleepy");
    fails("accounts extra", 2, "usage: accounts [--state STATE]");
  }

  @Test
  void showFindsAUserByKeyOrLogin() throws Exception {
    String byKey = ok("show prod/8").out();
    assertTrue(byKey.contains("state         NEEDS_REAUTH (Microsoft refused the refresh token (AADSTS70008))"), byKey);
    assertTrue(byKey.contains("last error    token refresh failed: invalid_grant at 20"), byKey);
    assertTrue(byKey.contains("microsoft     bob@example.com"), byKey);
    assertTrue(byKey.contains("what to do    the user signs in again"), byKey);
    assertTrue(byKey.contains("parked        outlook:AAMkAD: Odoo create failed: OdooUserError (1 attempts, action create-odoo-abc)"), byKey);
    assertTrue(!ok("show prod/7").out().contains("parked"), "nothing parked, nothing shown");
    assertEquals(byKey, ok("show bob").out());
    fails("show nobody", 1, "no account with the login nobody");
    fails("show prod/99", 1, "user 99 of database prod has never connected an Outlook account (not_connected");
    fails("show prod/x/1", 2, "a user is <db>/<userId>");
    fails("show", 2, "missing argument; usage: show");
    // The same login in two databases must be named by key.
    sidecar.sidecar.store().accounts().ensure("test", 3, "bob");
    fails("show bob", 1, "say prod/8 or test/3");
  }

  @Test
  void pauseResumeOneUserOrEveryone() throws Exception {
    assertEquals("prod/7 is PAUSED", ok("pause alice").out().strip());
    assertEquals(AccountState.PAUSED, sidecar.state(sidecar.alice));
    assertEquals("prod/7 is CONNECTED", ok("resume prod/7").out().strip());
    assertEquals(AccountState.CONNECTED, sidecar.state(sidecar.alice));
    fails("pause bob", 1, "only a connected account can be paused; this one is NEEDS_REAUTH (not_syncing; request id ");
    fails("resume bob", 1, "must sign in again");

    ok("pause");
    assertEquals("true", sidecar.sidecar.store().settings().value(Endpoints.PAUSED_SETTING).orElseThrow());
    assertTrue(ok("status").out().contains("paused      yes, for everyone"));
    ok("resume");
    assertEquals("false", sidecar.sidecar.store().settings().value(Endpoints.PAUSED_SETTING).orElseThrow());
    fails("pause a b", 2, "too many arguments");
  }

  @Test
  void stopOneUserThenEveryone() throws Exception {
    assertEquals("prod/7 is STOPPED", ok("stop alice").out().strip());
    assertEquals(AccountState.STOPPED, sidecar.state(sidecar.alice));
    assertEquals(AccountState.NEEDS_REAUTH, sidecar.state(sidecar.bob));
    assertEquals("2 account(s) stopped", ok("stop --all").out().strip());
    assertEquals(AccountState.STOPPED, sidecar.state(sidecar.bob));
    fails("stop", 2, "usage: stop <user>|--all");
    fails("stop --everyone", 2, "unknown option --everyone");
  }

  @Test
  void quitAndExitDoNothingNonInteractively() {
    assertEquals("", ok("quit").out());
    assertEquals("", ok("exit").out());
  }

  @Test
  void commandsPipedInRunAsAScriptThatStopsAtTheFirstFailure() throws Exception {
    String script = "# nightly check\n\nstatus\npause alice\nshow prod/7\npause bob\nstop --all\n";
    TestSidecar.Run r = TestSidecar.Run.of(List.of("--sidecar", sidecar.url), Map.of("OUTLOOK_SYNC_API_SHARED_SECRET",
        TestSidecar.SECRET), script);
    assertEquals(1, r.code(), r.toString());
    assertTrue(r.err().startsWith("outlook-sync-shell: line 6: only a connected account can be paused"), r.err());
    assertTrue(r.out().contains("configured  no") && r.out().contains("state         PAUSED"), r.out());
    assertFalse(r.out().contains("outlook-sync>") || r.out().contains("\033"), "no prompt, no colour: " + r.out());
    assertEquals(AccountState.PAUSED, sidecar.state(sidecar.alice));
    assertEquals(AccountState.NEEDS_REAUTH, sidecar.state(sidecar.bob), "the line after the failure never ran");

    r = TestSidecar.Run.of(List.of("--sidecar", sidecar.url), Map.of("OUTLOOK_SYNC_API_SHARED_SECRET", TestSidecar.SECRET),
        "resume alice\nquit\nstop --all\n");
    assertEquals(0, r.code(), r.toString());
    assertEquals(AccountState.CONNECTED, sidecar.state(sidecar.alice), "quit ends the script");
  }

  @Test
  void usageErrorsExitTwo() {
    fails("frobnicate", 2, "unknown command frobnicate");
    fails("show 'bob", 2, "unclosed ' quote");
    TestSidecar.Run r = TestSidecar.Run.of(List.of("--sidecar", sidecar.url, "--bogus"), Map.of());
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains("unknown option --bogus") && r.err().contains("usage: outlook-sync-shell"), r.err());
    r = TestSidecar.Run.of(List.of("--sidecar", "ftp://x", "-c", "health"), Map.of());
    assertEquals(2, r.code(), r.toString());
    r = TestSidecar.Run.of(List.of("--help"), Map.of());
    assertEquals(0, r.code());
    assertTrue(r.out().contains("Exit codes: 0 ok, 1 the command failed, 2 usage error, 3 the sidecar cannot be reached"));
  }

  @Test
  void aMissingSecretIsAUsageErrorNamingBothWaysToGiveIt() {
    TestSidecar.Run r = TestSidecar.Run.of(List.of("--sidecar", sidecar.url, "-c", "accounts"), Map.of());
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains("pass --secret-file FILE or set OUTLOOK_SYNC_API_SHARED_SECRET"), r.err());
  }

  @Test
  void theSecretFileWinsOverTheEnvironment() throws Exception {
    Path file = dir.resolve("secret");
    Files.writeString(file, TestSidecar.SECRET + "\n");
    TestSidecar.Run r = TestSidecar.Run.of(List.of("--sidecar", sidecar.url, "--secret-file", file.toString(), "-c", "accounts"),
        Map.of("OUTLOOK_SYNC_API_SHARED_SECRET", "wrong-secret-0123456789"));
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("prod/7"));
    r = TestSidecar.Run.of(List.of("--sidecar", sidecar.url, "--secret-file", dir.resolve("absent").toString(), "-c", "accounts"), Map.of());
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().contains("cannot read the secret file"), r.err());
  }

  @Test
  void aWrongSecretIsAClearAuthenticationError() {
    TestSidecar.Run r = TestSidecar.Run.of(List.of("--sidecar", sidecar.url, "-c", "accounts"),
        Map.of("OUTLOOK_SYNC_API_SHARED_SECRET", "not-the-secret-0123456789"));
    assertEquals(1, r.code(), r.toString());
    assertTrue(r.err().contains("the sidecar refused the shared secret")
        && r.err().contains("check --secret-file or OUTLOOK_SYNC_API_SHARED_SECRET")
        && r.err().contains("(bad_signature; request id "), r.err());
    assertEquals("", r.out());
    assertFalse(r.err().contains("not-the-secret"), "the secret is never printed");
  }

  @Test
  void anUnreachableSidecarExitsThreeNamingTheUrl() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // free once closed: nothing listens there
    }
    String url = "http://127.0.0.1:" + port;
    for (String command : List.of("health", "accounts")) {
      TestSidecar.Run r = TestSidecar.Run.of(List.of("--sidecar", url, "-c", command),
          Map.of("OUTLOOK_SYNC_API_SHARED_SECRET", TestSidecar.SECRET));
      assertEquals(3, r.code(), r.toString());
      assertTrue(r.err().contains("cannot reach the sidecar at " + url + ": connection refused"), r.err());
    }
  }
}
