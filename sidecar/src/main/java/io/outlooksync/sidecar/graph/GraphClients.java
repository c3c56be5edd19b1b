package io.outlooksync.sidecar.graph;

import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AnonymousAuthenticationProvider;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * Builds Graph clients and gateways, one per mailbox. Holds what all mailboxes share: the base URL (the
 * emulator or a national cloud), timeouts, TLS trust, and the per-mailbox in-flight slots, so two gateways
 * opened for the same mailbox still share its four slots. Keep one instance per process: slots are not shared
 * between instances (Graph's limit is per app and mailbox, whoever sends).
 */
public final class GraphClients {
  public static final String GLOBAL_BASE_URL = "https://graph.microsoft.com/v1.0";

  private final String baseUrl;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final SSLSocketFactory sslSocketFactory;
  private final X509TrustManager trustManager;
  private final String readZone;
  private final int budget;
  private final Duration budgetWindow;
  /** Enough for the default four workers with four requests in flight each. */
  static final int IDLE_CONNECTIONS = 16;

  private final Map<String, MailboxPacer> pacers = new ConcurrentHashMap<>();
  /**
   * Graph's connections, shared by every client: a client per run, each with a pool of its own, kept each run's
   * connections open for five minutes after it, so a start-up catch-up of 1,000 accounts held thousands of idle
   * TLS connections (and their buffers). Requests carry their own token, so a connection serves any mailbox.
   */
  private final ConnectionPool connections = new ConnectionPool(IDLE_CONNECTIONS, 5, TimeUnit.MINUTES);

  private GraphClients(Builder b) {
    this.baseUrl = b.baseUrl.endsWith("/") ? b.baseUrl.substring(0, b.baseUrl.length() - 1) : b.baseUrl;
    this.connectTimeout = b.connectTimeout;
    this.readTimeout = b.readTimeout;
    this.sslSocketFactory = b.sslSocketFactory;
    this.trustManager = b.trustManager;
    this.readZone = b.readZone;
    this.budget = b.budget;
    this.budgetWindow = b.budgetWindow;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String baseUrl() {
    return baseUrl;
  }

  /**
   * The gateway for one mailbox. {@code mailboxKey} identifies the mailbox (its account id or address) so that
   * every gateway of that mailbox shares one set of in-flight slots.
   */
  public GraphGateway gateway(String mailboxKey, AccessTokenSource tokens) {
    MailboxPacer pacer = pacers.computeIfAbsent(Objects.requireNonNull(mailboxKey, "mailboxKey"), 
        k -> new MailboxPacer(new RequestBudget(budget, budgetWindow, System::nanoTime)));
    return new GraphGateway(client(tokens), pacer, mailboxKey, readZone);
  }

  /** The change-notification subscriptions of one mailbox, sharing its in-flight slots with its gateways. */
  public SubscriptionGateway subscriptions(String mailboxKey, AccessTokenSource tokens) {
    MailboxPacer pacer = pacers.computeIfAbsent(Objects.requireNonNull(mailboxKey, "mailboxKey"), k -> new MailboxPacer());
    return new SubscriptionGateway(client(tokens), pacer);
  }

  /**
   * A Graph SDK client for one mailbox: the SDK's middleware (its RetryHandler waits out whole-request 429/503/504
   * with {@code Retry-After}, at most 3 times) plus ours, innermost so each retry is signed and preferenced anew.
   */
  public GraphServiceClient client(AccessTokenSource tokens) {
    OkHttpClient.Builder http = GraphClientFactory.create()
        .connectionPool(connections)
        .connectTimeout(connectTimeout)
        .readTimeout(readTimeout)
        .writeTimeout(readTimeout)
        .addInterceptor(new PreferInterceptor(readZone))
        .addInterceptor(new BearerInterceptor(tokens));
    if (sslSocketFactory != null) {
      http.sslSocketFactory(sslSocketFactory, trustManager);
    }
    GraphServiceClient graph = new GraphServiceClient(new AnonymousAuthenticationProvider(), http.build());
    graph.getRequestAdapter().setBaseUrl(baseUrl);
    return graph;
  }

  String readZone() {
    return readZone;
  }

  public static final class Builder {
    private String baseUrl = GLOBAL_BASE_URL;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(60);
    private SSLSocketFactory sslSocketFactory;
    private X509TrustManager trustManager;
    private String readZone = "UTC";
    private int budget = MailboxPacer.BUDGET;
    private Duration budgetWindow = MailboxPacer.BUDGET_WINDOW;

    /** {@code https://graph.microsoft.com/v1.0} by default; a national cloud's or the emulator's otherwise. */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = Objects.requireNonNull(baseUrl);
      return this;
    }

    public Builder connectTimeout(Duration d) {
      this.connectTimeout = Objects.requireNonNull(d);
      return this;
    }

    /** Per read and write on the socket; a 20-step batch at Graph's pace stays well inside the default 60 s. */
    public Builder readTimeout(Duration d) {
      this.readTimeout = Objects.requireNonNull(d);
      return this;
    }

    /** Extra TLS trust, for the emulator's self-signed certificate. */
    public Builder tls(SSLSocketFactory factory, X509TrustManager trust) {
      this.sslSocketFactory = Objects.requireNonNull(factory);
      this.trustManager = Objects.requireNonNull(trust);
      return this;
    }

    /**
     * The zone Graph writes times in ({@code Prefer: outlook.timezone}); UTC unless told otherwise. The mapper
     * reads any zone, but UTC makes every reply an unambiguous instant, independent of mailbox settings.
     */
    public Builder readZone(String windowsOrIanaName) {
      this.readZone = Objects.requireNonNull(windowsOrIanaName);
      return this;
    }

    /**
     * Requests per mailbox in any {@code window}: Outlook's 10,000 per 10 minutes by default. Calls wait for room
     * instead of running into 429s (a test emulator with a smaller budget gets a matching one).
     */
    public Builder requestBudget(int requests, Duration window) {
      if (requests < 1 || window.toSeconds() < 1) {
        throw new IllegalArgumentException("request budget " + requests + " per " + window);
      }
      this.budget = requests;
      this.budgetWindow = window;
      return this;
    }

    public GraphClients build() {
      return new GraphClients(this);
    }
  }
}
