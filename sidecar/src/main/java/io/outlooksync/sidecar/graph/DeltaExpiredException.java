package io.outlooksync.sidecar.graph;

/**
 * Graph no longer knows the delta round ({@code 410 SyncStateNotFound}, also on a nextLink mid-round): the
 * caller drops its delta link and runs a full round.
 */
public final class DeltaExpiredException extends GraphException {
  private static final long serialVersionUID = 1L;

  public DeltaExpiredException(String message, Throwable cause) {
    super(message, 410, "SyncStateNotFound", cause);
  }
}
