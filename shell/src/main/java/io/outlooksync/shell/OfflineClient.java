package io.outlooksync.shell;

import com.fasterxml.jackson.databind.JsonNode;
import io.outlooksync.sidecar.api.OfflineApi;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * The post-mortem: a stopped sidecar's store opened read-only in this process ({@link OfflineApi}), answering
 * the read-only admin routes with the same JSON as the running sidecar. Nothing here writes.
 */
final class OfflineClient implements Api, AutoCloseable {
  private final Path dataDir;
  private final OfflineApi api;

  private OfflineClient(Path dataDir, OfflineApi api) {
    this.dataDir = dataDir;
    this.api = api;
  }

  static OfflineClient open(Path dataDir) throws ShellException {
    try {
      return new OfflineClient(dataDir, OfflineApi.open(dataDir));
    } catch (IllegalStateException e) {
      throw ShellException.failed(e.getMessage());
    } catch (IOException | SQLException e) {
      throw ShellException.failed("cannot open the store under " + dataDir + " read-only: " + e.getMessage());
    }
  }

  @Override
  public URI base() {
    return dataDir.toAbsolutePath().toUri();
  }

  @Override
  public JsonNode get(String path) throws ShellException {
    OfflineApi.Reply r = api.get(path);
    return AdminClient.check(new Answer(r.status(), AdminClient.parse(new String(r.body(), StandardCharsets.UTF_8))));
  }

  @Override
  public JsonNode post(String path, String body) throws ShellException {
    throw ShellException.usage("this is a read-only post-mortem of " + dataDir + ": nothing can be changed (start the sidecar"
        + " and connect with --sidecar URL)");
  }

  @Override
  public Answer health() throws ShellException {
    throw ShellException.usage("no sidecar is running: this is a read-only post-mortem of " + dataDir);
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public void close() {
    try {
      api.close();
    } catch (SQLException e) {
      // read-only: nothing to lose
    }
  }
}
