package io.outlooksync.sidecar.graph;

/**
 * Where the gateway gets a mailbox's bearer token. The auth package implements it per account; whatever it
 * throws (for example when the user must sign in again) reaches the gateway's caller unchanged.
 */
@FunctionalInterface
public interface AccessTokenSource {
  /**
   * A valid access token. {@code forceRefresh} is true after Graph refused the last one (expired or revoked
   * mid-round): the source must then skip its cache and redeem its refresh token.
   */
  String accessToken(boolean forceRefresh);
}
