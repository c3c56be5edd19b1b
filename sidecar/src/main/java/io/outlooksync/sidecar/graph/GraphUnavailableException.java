package io.outlooksync.sidecar.graph;

/** Graph could not be reached or kept failing with 5xx after the retries: try the whole operation again later. */
public final class GraphUnavailableException extends GraphException {
  private static final long serialVersionUID = 1L;

  public GraphUnavailableException(String message, int status, String code, Throwable cause) {
    super(message, status, code, cause);
  }
}
