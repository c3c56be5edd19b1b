package io.outlooksync.sidecar.api;

/**
 * A request that cannot be served, with the HTTP status and a stable machine-readable code. The message is
 * shown to the caller and logged: it names ids and keys, never values a caller sent.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  public ApiException(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, "bad_request", message);
  }
}
