package io.outlooksync.sidecar.api;

import io.outlooksync.sidecar.store.Database;
import io.outlooksync.sidecar.store.Store;
import io.outlooksync.sidecar.store.StoreLock;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The admin API's read-only routes answered in-process from a stopped sidecar's embedded store, for the shell's
 * post-mortem mode ({@code outlook-sync-shell --data-dir DIR}): the same JSON as over HTTP, with no server, no
 * signature and no write. It refuses a store that a live sidecar holds.
 */
public final class OfflineApi implements AutoCloseable {
  /** A status and a JSON body, as the HTTP API would answer. */
  public record Reply(int status, byte[] body) {}

  private final Store store;
  private final Router router = new Router();
  private final AtomicLong requests = new AtomicLong();

  private OfflineApi(Store store) {
    this.store = store;
    new AdminEndpoints(store, null).offline(router);
  }

  /**
   * Opens the store under {@code dataDir} read-only. {@link IllegalStateException} when a sidecar is running on
   * it or there is no store there; {@link SQLException} when HSQLDB cannot open it.
   */
  public static OfflineApi open(Path dataDir) throws IOException, SQLException {
    if (!Files.isRegularFile(dataDir.resolve("store").resolve("outlook-sync.script"))) {
      throw new IllegalStateException("no outlook-sync store under " + dataDir + " (expected " + dataDir.resolve("store")
          + "/outlook-sync.script; --data-dir is the sidecar's data_dir)");
    }
    Database db;
    try {
      db = Database.embeddedReadOnly(dataDir);
    } catch (StoreLock.InUse e) {
      throw new IllegalStateException("a sidecar is running on " + dataDir
          + ": connect to it with --sidecar URL; the read-only mode never opens a running sidecar's files", e);
    }
    return new OfflineApi(Store.readOnly(db, Clock.systemUTC()));
  }

  /** Answers a GET of {@code pathWithQuery}, e.g. {@code /api/users/prod/7/runs?limit=5}. */
  public Reply get(String pathWithQuery) {
    String requestId = "offline-" + HexFormat.of().toHexDigits(requests.incrementAndGet()).replaceFirst("^0+(?=.)", "");
    Response r;
    try {
      URI uri = URI.create(pathWithQuery);
      Router.Match m = router.match("GET", uri.getPath());
      Map<String, String> query = ApiServer.query(uri.getRawQuery());
      r = m.route().handler().handle(new Call("GET", uri.getPath(), query, m.params(), new byte[0], null, requestId, false));
    } catch (ApiException e) {
      r = Response.error(e, requestId);
    } catch (SQLException e) {
      r = Response.error(new ApiException(503, "store_unavailable", "the store cannot be read: " + e.getMessage()), requestId);
    } catch (IllegalArgumentException e) {
      r = Response.error(ApiException.badRequest("not a path: " + pathWithQuery), requestId);
    } catch (Exception e) {
      r = Response.error(new ApiException(500, "internal_error", e.getClass().getSimpleName() + ": " + e.getMessage()), requestId);
    }
    return new Reply(r.status(), r.body());
  }

  @Override
  public void close() throws SQLException {
    store.close();
  }
}
