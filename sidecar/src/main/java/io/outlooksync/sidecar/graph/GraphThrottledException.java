package io.outlooksync.sidecar.graph;

import java.time.Duration;

/** Graph kept answering 429 after the retries; {@link #retryAfter()} is its last {@code Retry-After}. */
public final class GraphThrottledException extends GraphException {
  private static final long serialVersionUID = 1L;

  private final transient Duration retryAfter;

  public GraphThrottledException(String message, String code, Duration retryAfter, Throwable cause) {
    super(message, 429, code, cause);
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
