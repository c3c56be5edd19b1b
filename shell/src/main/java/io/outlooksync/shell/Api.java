package io.outlooksync.shell;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;

/**
 * The admin API as commands see it: a running sidecar over signed HTTP ({@link AdminClient}), or a stopped
 * sidecar's store opened read-only for a post-mortem ({@link OfflineClient}).
 */
public interface Api {
  /** Where the answers come from: the sidecar's URL, or the data directory as a file URI. */
  URI base();

  /** A GET; the parsed body of a 2xx answer. */
  JsonNode get(String path) throws ShellException;

  /** A POST with a JSON body ("" for none); the parsed body of a 2xx answer. */
  JsonNode post(String path, String body) throws ShellException;

  /** A POST that may take longer than the usual timeout (a sync run, a reset). */
  default JsonNode post(String path, String body, java.time.Duration timeout) throws ShellException {
    return post(path, body);
  }

  /** {@code /healthz}, with its status (503 carries a body too). */
  Answer health() throws ShellException;

  /** True for a post-mortem: only the commands that read the store work. */
  default boolean readOnly() {
    return false;
  }

  /** A status and its parsed JSON body (an empty object when the body is not JSON). */
  record Answer(int status, JsonNode json) {}
}
