package io.outlooksync.sidecar.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.sidecar.api.Hmac;
import io.outlooksync.sidecar.store.AccountState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/api.md is what the addon's authors read: its worked example and its Python code must be right. */
class ApiDocTest {
  static final Path DOC = Path.of("..", "docs", "api.md");

  @TempDir
  Path dataDir;

  @Test
  void theWorkedExampleMatchesTheServer() throws Exception {
    String doc = Files.readString(DOC);
    Matcher m = Pattern.compile("X-Outlook-Sync-Signature: ([0-9a-f]{64})").matcher(doc);
    assertTrue(m.find(), "worked example not found");
    assertEquals(m.group(1), Hmac.sign("0123456789abcdef0123", "1767225600.000000", "POST", "/api/pause", new byte[0]));
  }

  @Test
  void thePythonExampleTalksToARealSidecar() throws Exception {
    String doc = Files.readString(DOC);
    Matcher m = Pattern.compile("```python\n(.*?)```", Pattern.DOTALL).matcher(doc);
    assertTrue(m.find(), "python example not found");
    Sidecar sidecar = Sidecar.start(Config.load(null, Map.of("OUTLOOK_SYNC_DATA_DIR", dataDir.toString(),
        "OUTLOOK_SYNC_LISTEN", "127.0.0.1:0"), new ArrayList<>()));
    try {
      var account = sidecar.store().accounts().ensure("prod", 7, "alice");
      sidecar.store().accounts().connected(account.id(), "home", "alice@example.com", "tenant");
      String script = m.group(1) + """

          import sys
          base, secret = sys.argv[1], sys.argv[2]
          print(call_sidecar(base, secret, "POST", "/api/configure", {"api_shared_secret": secret})[0])
          print(call_sidecar(base, secret, "GET", "/api/status")[0])
          print(call_sidecar(base, secret, "GET", "/api/status")[0])
          print(call_sidecar(base, secret, "POST", "/api/users/prod/7/pause", {"reason": "from python"})[1]["state"])
          print(call_sidecar(base, "wrong-secret-0123456789", "GET", "/api/status")[1]["error"]["code"])
          """;
      Path file = dataDir.resolve("example.py");
      Files.writeString(file, script);
      Process p;
      try {
        p = new ProcessBuilder("python3", file.toString(), "http://127.0.0.1:" + sidecar.address().getPort(),
            "python-secret-0123456789").redirectErrorStream(true).start();
      } catch (java.io.IOException noPython) {
        Assumptions.abort("python3 is not installed");
        return;
      }
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), out);
      assertEquals(List.of("200", "200", "200", "PAUSED", "bad_signature"), out.lines().toList());
      assertEquals(AccountState.PAUSED, sidecar.store().accounts().get(account.id()).orElseThrow().state());
    } finally {
      sidecar.close();
    }
  }
}
