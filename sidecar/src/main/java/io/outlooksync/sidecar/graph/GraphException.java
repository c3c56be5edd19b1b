package io.outlooksync.sidecar.graph;

/**
 * A Graph call that failed. Messages name the call, status and Graph's error code, never event content, so they
 * are safe for logs and for users.
 */
public class GraphException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  public GraphException(String message, int status, String code, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.code = code;
  }

  /** HTTP status, or 0 when no reply arrived. */
  public int status() {
    return status;
  }

  /** Graph's error code ({@code ErrorItemNotFound}, ...), or null. */
  public String code() {
    return code;
  }
}
