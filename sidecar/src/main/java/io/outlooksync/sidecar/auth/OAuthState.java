package io.outlooksync.sidecar.auth;

import io.outlooksync.sidecar.store.OAuthStates;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The OAuth {@code state} of a sign-in: a random nonce, stored with the Odoo database and user it was issued
 * for, the PKCE verifier and an expiry, and sent to Microsoft as {@code nonce.HMAC(nonce|user|db)}. The row
 * makes it single-use and expiring; the signature makes a forged or altered state fail before anything else
 * is looked at, and binds it to the user it was issued for.
 */
final class OAuthState {
  static final Duration LIFETIME = Duration.ofMinutes(10);

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  /** 32 random bytes and a 32-byte HMAC, each 43 base64url characters. */
  private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{43}\\.[A-Za-z0-9_-]{43}");

  /** What {@code start} hands to Microsoft. */
  record Issued(String state, String codeChallenge, String stateId) {}

  /** A state whose signature checked out, with what its row says. */
  record Verified(String nonce, String odooDb, long odooUserId, String codeVerifier, String stateId) {}

  private final OAuthStates states;
  private final Clock clock;
  private volatile byte[] key;

  OAuthState(OAuthStates states, Clock clock) {
    this.states = states;
    this.clock = clock;
  }

  Issued issue(String odooDb, long odooUserId) throws SQLException {
    String nonce = random();
    String verifier = random(); // 43 characters: the shortest PKCE allows, 256 bits of entropy
    states.create(nonce, odooDb, odooUserId, verifier.getBytes(StandardCharsets.US_ASCII), clock.instant().plus(LIFETIME));
    return new Issued(nonce + "." + sign(nonce, odooDb, odooUserId), challenge(verifier), stateId(nonce));
  }

  /** Checks a state without using it up: signature, then whether it is still unused and unexpired. */
  Verified verify(String state) throws SignInException, SQLException {
    if (state == null || !FORMAT.matcher(state).matches()) {
      throw new SignInException(SignInFailure.BAD_STATE, null, null, "malformed state", null);
    }
    String nonce = state.substring(0, 43);
    String id = stateId(nonce);
    Optional<OAuthStates.Pending> row = states.find(nonce);
    if (row.isEmpty()) {
      throw new SignInException(SignInFailure.BAD_STATE, null, null, "state " + id + " was not issued here", null);
    }
    OAuthStates.Pending p = row.get();
    byte[] expected = sign(nonce, p.odooDb(), p.odooUserId()).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, state.substring(44).getBytes(StandardCharsets.US_ASCII))) {
      throw new SignInException(SignInFailure.BAD_STATE, null, null, "state " + id + " has a wrong signature", null);
    }
    String where = "state " + id + " (db " + p.odooDb() + ", user " + p.odooUserId() + ")";
    if (p.usedAt() != null) {
      throw new SignInException(SignInFailure.REPLAYED_STATE, null, null, where + " was used at " + p.usedAt(), null);
    }
    if (!clock.instant().isBefore(p.expiresAt())) {
      throw new SignInException(SignInFailure.EXPIRED_STATE, null, null, where + " expired at " + p.expiresAt(), null);
    }
    return new Verified(nonce, p.odooDb(), p.odooUserId(), new String(p.verifier(), StandardCharsets.US_ASCII), id);
  }

  /**
   * Uses the state up, before Microsoft is called: of two requests racing with one state, exactly one goes on.
   * A failed redemption leaves it used too; the user starts a fresh sign-in.
   */
  void claim(Verified v, Long accountId) throws SignInException, SQLException {
    Instant now = clock.instant();
    if (states.claim(v.nonce(), now)) {
      return;
    }
    boolean expired = states.find(v.nonce()).map(p -> p.usedAt() == null && !now.isBefore(p.expiresAt())).orElse(false);
    String where = "state " + v.stateId() + " (db " + v.odooDb() + ", user " + v.odooUserId() + ")";
    throw expired
        ? new SignInException(SignInFailure.EXPIRED_STATE, accountId, null, where + " expired", null)
        : new SignInException(SignInFailure.REPLAYED_STATE, accountId, null, where + " was used by a concurrent request", null);
  }

  /** RFC 7636 S256: base64url(SHA-256(verifier)). */
  static String challenge(String verifier) {
    return B64.encodeToString(sha256(verifier.getBytes(StandardCharsets.US_ASCII)));
  }

  /** A short, non-secret name for a state in logs and errors. */
  static String stateId(String nonce) {
    return HexFormat.of().formatHex(sha256(nonce.getBytes(StandardCharsets.US_ASCII)), 0, 6);
  }

  private String sign(String nonce, String odooDb, long odooUserId) throws SQLException {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      byte[] k = key;
      if (k == null) {
        k = states.stateKey(); // fixed once created: read once per process
        key = k;
      }
      mac.init(new SecretKeySpec(k, "HmacSHA256"));
      // The user id is a number and the database comes last, so the fields cannot run into each other.
      return B64.encodeToString(mac.doFinal((nonce + "|" + odooUserId + "|" + odooDb).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }

  private static String random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return B64.encodeToString(b);
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
