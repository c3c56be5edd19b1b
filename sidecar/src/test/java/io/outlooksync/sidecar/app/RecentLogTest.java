package io.outlooksync.sidecar.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.sidecar.api.LogRing;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The lines the shell's `tail` reads are the redacted ones. */
class RecentLogTest {
  @Test
  void theRingHoldsLinesAfterRedaction() throws Exception {
    Consumer<String> previous = Log.setSink(line -> { });
    try {
      long before = LogRing.SHARED.last();
      LoggerFactory.getLogger("io.outlooksync.sidecar.auth.SignIn").atWarn().addKeyValue("refresh_token", "0.AXYZ-NEEDLE-1")
          .addKeyValue("user", 7).log("token endpoint said access_token=eyJhbGciOi.eyJzdWIi.NEEDLE2 Bearer NEEDLE3");
      LogRing.Slice s = LogRing.SHARED.after(before, 10, l -> l.contains("user=7"), Duration.ZERO);
      assertEquals(1, s.lines().size());
      String line = s.lines().get(0).text();
      assertFalse(line.contains("NEEDLE"), line);
      assertTrue(line.contains("refresh_token=***") && line.contains("access_token=***"), line);
    } finally {
      Log.setSink(previous);
    }
  }
}
