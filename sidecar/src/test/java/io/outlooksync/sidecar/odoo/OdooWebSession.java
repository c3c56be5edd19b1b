package io.outlooksync.sidecar.odoo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/** Odoo's web client as a browser drives it: JSON-RPC with the session cookie. */
final class OdooWebSession {
  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
  private final String base;

  private OdooWebSession(String base) {
    this.base = base;
  }

  static OdooWebSession signIn(String base, String db, String login, String password) throws Exception {
    OdooWebSession web = new OdooWebSession(base);
    web.post("/web/session/authenticate", Map.of("db", db, "login", login, "password", password));
    return web;
  }

  JsonNode callKw(String model, String method, List<?> args) throws Exception {
    return callKw(model, method, args, Map.of());
  }

  JsonNode callKw(String model, String method, List<?> args, Map<String, ?> kwargs) throws Exception {
    return post("/web/dataset/call_kw/" + model + "/" + method,
        Map.of("model", model, "method", method, "args", args, "kwargs", kwargs));
  }

  private JsonNode post(String path, Map<String, ?> params) throws Exception {
    String body = json.writeValueAsString(Map.of("jsonrpc", "2.0", "method", "call", "id", 1, "params", params));
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode reply = json.readTree(response.body());
    if (reply.has("error")) {
      throw new IllegalStateException(path + ": " + reply.get("error").path("data").path("message").asText());
    }
    return reply.get("result");
  }
}
