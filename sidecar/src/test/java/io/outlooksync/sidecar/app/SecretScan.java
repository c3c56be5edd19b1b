package io.outlooksync.sidecar.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Looks for secrets where none may be: the secrets the test suite configures (client secrets, shared secrets,
 * Odoo API keys, passwords), and anything shaped like a token the identity emulator issues (JWT access and id
 * tokens, refresh tokens) or an authorization header. Used on every log line of the suite ({@link LogSecretsAudit})
 * and on the data directory after real syncs ({@link SyncBench}).
 */
final class SecretScan {
  /** The secrets the suite's tests configure; a new test secret belongs here. */
  static final List<String> KNOWN = List.of(SyncBench.CLIENT_SECRET, SyncBench.SHARED, "sync-key", "sync-pw", "alice-pw", "bob-pw",
      "client-secret-for-the-scheduling-test", "shared-secret-for-the-scheduling-test", "client-secret-for-the-sync-api-test",
      "shared-secret-for-the-sync-api-test", "client-secret-value-for-the-test", "shared-secret-for-the-signin-test",
      "shared-secret-0123456789-abcdef", "client-secret-needle-7Qx", "odoo-api-key-needle-3Zr", "emulator-secret");
  private static final List<Pattern> SHAPES = List.of(
      Pattern.compile("eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]*"), // a JWT
      Pattern.compile("\\b1\\.A[A-Za-z0-9_-]{100,}"), // the identity emulator's refresh tokens
      Pattern.compile("(?i)\\bbearer\\s+(?!\\*\\*\\*)[A-Za-z0-9._~+/=-]{20,}"));

  private SecretScan() {}

  /** What in {@code text} looks like a secret: each finding names the secret or the shape and where. */
  static List<String> findIn(String text, String where) {
    List<String> out = new ArrayList<>();
    for (String secret : KNOWN) {
      if (text.contains(secret)) {
        out.add(where + ": the test secret \"" + secret + "\"");
      }
    }
    for (Pattern p : SHAPES) {
      Matcher m = p.matcher(text);
      if (m.find()) {
        String found = m.group();
        out.add(where + ": a token shaped " + p.pattern() + " (" + found.substring(0, Math.min(12, found.length())) + "...)");
      }
    }
    return out;
  }

  /** Every file under {@code dir}, read as bytes (binary store files included). */
  static List<String> findInFiles(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        out.addAll(findIn(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1), dir.relativize(f).toString()));
      }
    }
    return out;
  }
}
