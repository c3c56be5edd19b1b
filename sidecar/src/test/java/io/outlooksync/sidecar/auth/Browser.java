package io.outlooksync.sidecar.auth;

import io.outlooksync.fixtures.m365.M365Emulator;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/** The user's browser at the emulator's sign-in page: follows the authorize URL and reads where it is sent back. */
final class Browser {
  /** What the browser got: a redirect (its query) or a page (status and body). */
  record Answer(int status, Map<String, String> redirect, String body) {}

  private final HttpClient http;

  Browser(M365Emulator m365) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {m365.trustManager()}, null);
    http = HttpClient.newBuilder().sslContext(ctx).followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** Opens the authorize URL; the emulator signs {@code mailbox} in at once (login_hint) and redirects. */
  Answer signIn(URI authorize, String mailbox, String... extraQuery) throws Exception {
    StringBuilder url = new StringBuilder(authorize.toString()).append("&login_hint=").append(URLEncoder.encode(mailbox, StandardCharsets.UTF_8));
    for (String q : extraQuery) {
      url.append('&').append(q);
    }
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url.toString())).GET().build(), HttpResponse.BodyHandlers.ofString());
    String location = r.headers().firstValue("Location").orElse(null);
    return new Answer(r.statusCode(), location == null ? Map.of() : query(location), r.body());
  }

  /** GET with a bearer token, for checking a token against Graph. */
  HttpResponse<String> get(String url, String bearer) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + bearer).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static Map<String, String> query(String url) {
    Map<String, String> out = new LinkedHashMap<>();
    String q = URI.create(url).getRawQuery();
    if (q == null) {
      return out;
    }
    for (String pair : q.split("&")) {
      int eq = pair.indexOf('=');
      out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }
}
