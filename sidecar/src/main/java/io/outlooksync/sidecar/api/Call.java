package io.outlooksync.sidecar.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;

/** One request as a handler sees it: already size-limited, routed and (where required) authenticated. */
public final class Call {
  private final String method;
  private final String path;
  private final Map<String, String> query;
  private final Map<String, String> params;
  private final byte[] body;
  private final InetSocketAddress remote;
  private final String requestId;
  private final boolean bootstrap;

  Call(String method, String path, Map<String, String> query, Map<String, String> params, byte[] body,
      InetSocketAddress remote, String requestId, boolean bootstrap) {
    this.method = method;
    this.path = path;
    this.query = query;
    this.params = params;
    this.body = body;
    this.remote = remote;
    this.requestId = requestId;
    this.bootstrap = bootstrap;
  }

  /** True when this call was accepted as the bootstrap: signed with the secret it carries, none being set. */
  public boolean bootstrap() {
    return bootstrap;
  }

  public String method() {
    return method;
  }

  public String path() {
    return path;
  }

  public Optional<String> query(String name) {
    return Optional.ofNullable(query.get(name));
  }

  /** A path parameter, e.g. {@code {db}} of {@code /api/users/{db}/{userId}/status}. */
  public String param(String name) {
    return params.get(name);
  }

  public byte[] body() {
    return body;
  }

  public InetSocketAddress remote() {
    return remote;
  }

  public String requestId() {
    return requestId;
  }

  /** The body as a JSON object; 400 when it is not one. An empty body reads as {}. */
  public JsonNode json() {
    if (body.length == 0) {
      return Json.MAPPER.createObjectNode();
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(body);
    } catch (JacksonException e) {
      // Jackson's message quotes the input; say where instead.
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new ApiException(400, "malformed_json", "the body is not valid JSON" + where);
    } catch (java.io.IOException e) {
      throw new ApiException(400, "malformed_json", "the body cannot be read as JSON");
    }
    if (node == null || !node.isObject()) {
      throw new ApiException(400, "malformed_json", "the body must be a JSON object");
    }
    return node;
  }
}
