package io.outlooksync.sidecar.app;

import io.outlooksync.sidecar.api.SyncNow;
import io.outlooksync.sidecar.auth.AccessTokens;
import io.outlooksync.sidecar.auth.TokenUnavailable;
import io.outlooksync.sidecar.graph.AccessTokenSource;
import io.outlooksync.sidecar.graph.AccessTokenUnavailable;
import io.outlooksync.sidecar.graph.GraphClients;
import io.outlooksync.sidecar.graph.SubscriptionGateway;
import io.outlooksync.sidecar.odoo.OdooConfig;
import io.outlooksync.sidecar.odoo.OdooGateway;
import io.outlooksync.sidecar.odoo.OdooException;
import io.outlooksync.sidecar.odoo.OdooGateways;
import io.outlooksync.sidecar.odoo.OdooProtocol;
import io.outlooksync.sidecar.store.Store;
import io.outlooksync.sidecar.sync.RunSettings;
import io.outlooksync.sidecar.sync.RunnerUnavailable;
import io.outlooksync.sidecar.sync.SyncRunner;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The sync runner built from the live configuration: an Odoo gateway as the service user, one
 * {@link GraphClients} for every mailbox, tokens from {@link AccessTokens}. Rebuilt when the settings it
 * depends on change (the addon pushes them); until they are all known there is no runner.
 */
final class LiveSync implements SyncNow {
  private final Store store;
  private final Supplier<Config> config;
  private final MicrosoftAccess microsoft;
  private final Clock clock;
  private List<String> builtFrom;
  private SyncRunner runner;
  private OdooGateway odoo;
  private GraphClients graphClients;
  private AccessTokens tokenSource;

  LiveSync(Store store, Supplier<Config> config, MicrosoftAccess microsoft, Clock clock) {
    this.store = store;
    this.config = config;
    this.microsoft = microsoft;
    this.clock = clock;
  }

  /** Where runs set aside big backlogs of new Outlook events: the data directory, which the service may write. */
  static Path spillDir(Config c) {
    return c.dataDir().resolve("runs");
  }

  @Override
  public synchronized Optional<SyncRunner> runner() {
    if (!missingForSync().isEmpty()) {
      return Optional.empty();
    }
    Optional<AccessTokens> tokens = microsoft.accessTokens();
    if (tokens.isEmpty()) {
      return Optional.empty();
    }
    Config c = config.get();
    List<String> from = new ArrayList<>();
    for (Key k : List.of(Key.ODOO_URL, Key.ODOO_DB, Key.ODOO_LOGIN, Key.ODOO_API_KEY, Key.ODOO_PROTOCOL, Key.GRAPH_URL,
        Key.MS_CA_FILE)) {
      from.add(c.get(k).orElse(""));
    }
    if (!from.equals(builtFrom)) {
      OdooGateway gateway;
      try {
        gateway = OdooGateways.open(OdooConfig.of(c.get(Key.ODOO_URL).get(), c.get(Key.ODOO_DB).get(),
            c.get(Key.ODOO_LOGIN).get(), c.get(Key.ODOO_API_KEY).get()), OdooProtocol.parse(c.get(Key.ODOO_PROTOCOL).orElse("auto")));
        gateway.authenticate();
      } catch (OdooException e) {
        throw new RunnerUnavailable("Odoo cannot be reached: " + e.getClass().getSimpleName(), e.retryable(), e);
      }
      GraphClients.Builder graph = GraphClients.builder().baseUrl(c.get(Key.GRAPH_URL).orElse(GraphClients.GLOBAL_BASE_URL));
      if (c.get(Key.MS_CA_FILE).isPresent()) {
        X509TrustManager trust = MicrosoftAccess.trusting(Path.of(c.get(Key.MS_CA_FILE).get()));
        graph.tls(socketFactory(trust), trust);
      }
      GraphClients clients = graph.build();
      AccessTokens source = tokens.get();
      runner = new SyncRunner(store, gateway, account -> clients.gateway(Long.toString(account.id()), tokens(source, account.id())),
          clock, this::runSettings).spillTo(spillDir(c));
      odoo = gateway;
      graphClients = clients;
      tokenSource = source;
      builtFrom = from;
    }
    return Optional.of(runner);
  }

  private static AccessTokenSource tokens(AccessTokens source, long accountId) {
    return force -> {
      try {
        return source.accessToken(accountId, force);
      } catch (TokenUnavailable e) {
        throw new AccessTokenUnavailable("no access token for " + e.getMessage(), e.reason(), e);
      }
    };
  }

  /** The subscription calls for an account's mailbox, with the runner's Graph clients and tokens, once they exist. */
  synchronized Optional<SubscriptionGateway> subscriptions(long accountId) {
    if (runner().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(graphClients.subscriptions(Long.toString(accountId), tokens(tokenSource, accountId)));
  }

  /** The Odoo gateway the runner uses, when {@code db} is the database the sidecar serves and settings are known. */
  synchronized Optional<OdooGateway> odoo(String db) {
    if (runner().isEmpty() || !config.get().get(Key.ODOO_DB).orElse("").equals(db)) {
      return Optional.empty();
    }
    return Optional.of(odoo);
  }

  @Override
  public RunSettings runSettings() {
    return config.get().runSettings();
  }

  @Override
  public List<String> missingForSync() {
    Config c = config.get();
    List<String> out = new ArrayList<>();
    for (Key k : List.of(Key.ODOO_URL, Key.ODOO_DB, Key.ODOO_LOGIN, Key.ODOO_API_KEY)) {
      if (c.get(k).isEmpty()) {
        out.add(k.id());
      }
    }
    out.addAll(microsoft.missingForSignIn());
    return out;
  }

  private static javax.net.ssl.SSLSocketFactory socketFactory(X509TrustManager trust) {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {trust}, null);
      return ctx.getSocketFactory();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
