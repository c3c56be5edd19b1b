package io.outlooksync.sidecar.graph;

import io.outlooksync.fixtures.m365.M365Emulator;
import io.outlooksync.fixtures.m365.TestLogin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/** A signed-in emulator mailbox for gateway tests: a token source that counts forced refreshes, and raw HTTP. */
final class EmulatorMailbox implements AccessTokenSource {
  final M365Emulator m365;
  final String address;
  final AtomicInteger forcedRefreshes = new AtomicInteger();
  private TestLogin.Tokens tokens;
  private HttpClient http;

  EmulatorMailbox(M365Emulator m365, String address) throws Exception {
    this.m365 = m365;
    this.address = address;
    this.tokens = TestLogin.signIn(m365, address);
  }

  @Override
  public synchronized String accessToken(boolean forceRefresh) {
    if (forceRefresh) {
      forcedRefreshes.incrementAndGet();
      try {
        tokens = TestLogin.refresh(m365, tokens.refreshToken());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return tokens.accessToken();
  }

  GraphClients clients() {
    return GraphClients.builder().baseUrl(m365.graphBaseUrl()).tls(m365.sslSocketFactory(), m365.trustManager()).build();
  }

  GraphGateway gateway(GraphClients clients) {
    return clients.gateway(address, this);
  }

  /**
   * Three requests at a time from outside the gateway (another app instance, say) for 1.5 s, so the gateway's
   * work meets full slots; returns once they hold them. Closing stops them.
   */
  AutoCloseable holdThreeSlots() {
    java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.concurrent.ExecutorService hogs = java.util.concurrent.Executors.newFixedThreadPool(3);
    java.util.List<java.util.concurrent.Future<?>> busy = new java.util.ArrayList<>();
    long until = System.nanoTime() + 1_500_000_000L;
    for (int t = 0; t < 3; t++) {
      busy.add(hogs.submit(() -> {
        while (running.get() && System.nanoTime() < until) {
          raw("GET", "/me/calendar", null);
        }
        return null;
      }));
    }
    AutoCloseable stop = () -> {
      running.set(false);
      for (java.util.concurrent.Future<?> f : busy) {
        f.get();
      }
      hogs.shutdownNow();
    };
    while (m365.inFlight(address) < 3) {
      if (System.nanoTime() > until) {
        throw new IllegalStateException("the competing requests never ran");
      }
      Thread.onSpinWait();
    }
    return stop;
  }

  /** A request past our gateway (setting up what the gateway does not write, or competing for slots). */
  HttpResponse<String> raw(String method, String path, String json) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(m365.graphBaseUrl() + path))
        .header("Authorization", "Bearer " + accessToken(false))
        .header("Prefer", "IdType=\"ImmutableId\"")
        .header("Content-Type", "application/json");
    b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    return http().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private synchronized HttpClient http() throws Exception {
    if (http == null) {
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, new TrustManager[] {m365.trustManager()}, null);
      http = HttpClient.newBuilder().sslContext(tls).build();
    }
    return http;
  }
}
