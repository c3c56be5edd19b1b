package io.outlooksync.sidecar.api;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The request signature shared by the addon, the admin shell and the sidecar:
 * {@code hex(HMAC-SHA256(secret, timestamp + "\n" + METHOD + "\n" + pathWithQuery + "\n" + body))}, where
 * {@code timestamp} is the {@code X-Outlook-Sync-Timestamp} header exactly as sent (unix seconds, best with a
 * fraction such as {@code 1767225600.123456} so that two identical requests within a second still differ) and
 * the body is the raw bytes.
 */
public final class Hmac {
  public static final String TIMESTAMP_HEADER = "X-Outlook-Sync-Timestamp";
  public static final String SIGNATURE_HEADER = "X-Outlook-Sync-Signature";

  private Hmac() {}

  /** Lower-case hex signature of one request. */
  public static String sign(String secret, String timestamp, String method, String pathWithQuery, byte[] body) {
    return HexFormat.of().formatHex(mac(secret, timestamp, method, pathWithQuery, body));
  }

  /** Constant-time check of a hex signature (either case). */
  public static boolean verify(String secret, String timestamp, String method, String pathWithQuery, byte[] body, String hex) {
    byte[] given;
    try {
      given = HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(mac(secret, timestamp, method, pathWithQuery, body), given);
  }

  private static byte[] mac(String secret, String timestamp, String method, String pathWithQuery, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestamp + "\n" + method + "\n" + pathWithQuery + "\n").getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
