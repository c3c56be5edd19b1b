package io.outlooksync.shell;

import io.outlooksync.sidecar.app.Config;
import io.outlooksync.sidecar.app.Sidecar;
import io.outlooksync.sidecar.store.Account;
import io.outlooksync.sidecar.store.AccountState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real sidecar on a free loopback port, its shared secret set in its configuration, with three accounts:
 * alice (prod/7, CONNECTED, synced), bob (prod/8, NEEDS_REAUTH with an error) and carol (archive/9, never
 * finished signing in). The shell reaches it only over HTTP, as in production.
 */
final class TestSidecar implements AutoCloseable {
  static final String SECRET = "admin-shell-secret-0123456789";

  final Sidecar sidecar;
  final String url;
  final long alice;
  final long bob;

  TestSidecar(Path dataDir) throws Exception {
    sidecar = Sidecar.start(Config.load(null, Map.of("OUTLOOK_SYNC_DATA_DIR", dataDir.toString(),
        "OUTLOOK_SYNC_LISTEN", "127.0.0.1:0", "OUTLOOK_SYNC_API_SHARED_SECRET", SECRET), new ArrayList<>()));
    url = "http://127.0.0.1:" + sidecar.address().getPort();
    var accounts = sidecar.store().accounts();
    Account a = accounts.ensure("prod", 7, "alice");
    accounts.connected(a.id(), "home-1", "alice@example.com", "tenant-1");
    accounts.recordSync(a.id(), Instant.parse("2026-11-24T09:00:00Z"));
    Account b = accounts.ensure("prod", 8, "bob");
    accounts.connected(b.id(), "home-2", "bob@example.com", "tenant-1");
    accounts.setState(b.id(), AccountState.NEEDS_REAUTH, "Microsoft refused the refresh token (AADSTS70008)");
    accounts.recordError(b.id(), "token refresh failed: invalid_grant");
    // An item of bob's that kept failing and is parked (docs/sync.md, "Items that keep failing").
    var outbox = sidecar.store().outbox();
    outbox.enqueue(b.id(), null, List.of(new io.outlooksync.sidecar.store.Outbox.NewAction("create-odoo-abc", "CreateInOdoo", "{}")));
    outbox.failed("create-odoo-abc", "Odoo create failed: OdooUserError", Instant.parse("2026-11-24T09:05:00Z"), false);
    outbox.park("create-odoo-abc", "{\"fingerprint\": \"f\", \"subject\": \"outlook:AAMkAD\"}");
    accounts.ensure("archive", 9, "carol");
    alice = a.id();
    bob = b.id();
  }

  AccountState state(long id) throws Exception {
    return sidecar.store().accounts().get(id).orElseThrow().state();
  }

  /** Runs {@code outlook-sync-shell --sidecar URL -c line} in-process, the secret in the environment. */
  Run run(String line) {
    return Run.of(List.of("--sidecar", url, "-c", line), Map.of("OUTLOOK_SYNC_API_SHARED_SECRET", SECRET));
  }

  @Override
  public void close() {
    sidecar.close();
  }

  /** One non-interactive run: exit code, stdout, stderr. */
  record Run(int code, String out, String err) {
    static Run of(List<String> args, Map<String, String> env) {
      return of(args, env, "");
    }

    /** With {@code stdin} piped in (the tests' standard input is no terminal, so this is the script mode). */
    static Run of(List<String> args, Map<String, String> env, String stdin) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = ShellMain.run(args, env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out, err, null);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }
}
