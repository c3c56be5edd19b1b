package io.outlooksync.sidecar.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogTest {
  final List<String> lines = new ArrayList<>();
  Consumer<String> previous;

  @BeforeEach
  void capture() {
    previous = Log.setSink(lines::add);
  }

  @AfterEach
  void restore() {
    Log.setSink(previous);
  }

  @Test
  void slf4jIsBoundToTheLogfmtSink() {
    LoggerFactory.getLogger("io.outlooksync.sidecar.sync.SyncRunner").atInfo()
        .addKeyValue("user", 7).addKeyValue("run", 42).addKeyValue("event", 1001).log("run finished in {} ms", 12);
    assertEquals(1, lines.size());
    String line = lines.get(0);
    assertTrue(line.matches("ts=\\S+Z level=info logger=sync.SyncRunner msg=\"run finished in 12 ms\" user=7 run=42 event=1001"), line);
  }

  @Test
  void thirdPartiesLogAtWarnAndAbove() {
    LoggerFactory.getLogger("com.microsoft.aad.msal4j.AuthenticationResultSupplier").info("chatty");
    LoggerFactory.getLogger("com.microsoft.aad.msal4j.AuthenticationResultSupplier").warn("worth seeing");
    assertEquals(1, lines.size());
    assertTrue(lines.get(0).contains("level=warn") && lines.get(0).contains("worth seeing"));
  }

  @Test
  void secretsAreRedactedByKeyAndInText() {
    var log = LoggerFactory.getLogger("io.outlooksync.sidecar.auth.SignIn");
    log.atWarn().addKeyValue("client_secret", "NEEDLE1").addKeyValue("refreshToken", "NEEDLE2").addKeyValue("code", "NEEDLE3")
        .addKeyValue("Authorization", "NEEDLE4").addKeyValue("user", 5).log("sign-in failed");
    log.warn("token endpoint said: refresh_token=NEEDLE5&client_secret=NEEDLE6 code: NEEDLE7 Bearer NEEDLE8 and"
        + " eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.NEEDLE9sig \"password\": \"NEEDLE10\"");
    log.error("failed", new IllegalStateException("api_key=NEEDLE11", new RuntimeException("secret NEEDLE12 is fine? secret=NEEDLE13")));
    String all = String.join("\n", lines);
    assertFalse(all.matches("(?s).*NEEDLE(1|2|3|4|5|6|7|8|9|10|11|13)\\b.*"), all);
    assertTrue(all.contains("client_secret=***") && all.contains("user=5"), all);
    assertTrue(all.contains("error=\"java.lang.IllegalStateException: api_key=*** <- java.lang.RuntimeException"), all);
  }

  @Test
  void valuesAreQuotedSoALineStaysOneLine() {
    LoggerFactory.getLogger("io.outlooksync.sidecar.x").atInfo().addKeyValue("note", "two\nlines \"quoted\"").log("m");
    assertEquals(1, lines.size());
    assertTrue(lines.get(0).endsWith("note=\"two\\nlines \\\"quoted\\\"\""), lines.get(0));
  }
}
