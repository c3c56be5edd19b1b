package io.outlooksync.sidecar.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/** What a handler answers: a status, a content type and the body bytes. */
public record Response(int status, String contentType, byte[] body) {
  public static Response json(int status, JsonNode node) {
    try {
      return new Response(status, "application/json", Json.MAPPER.writeValueAsBytes(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  public static Response text(int status, String contentType, String text) {
    return new Response(status, contentType, text.getBytes(StandardCharsets.UTF_8));
  }

  /** The error body: {@code {"error": {"code": ..., "message": ..., "request_id": ...}}}. */
  static Response error(ApiException e, String requestId) {
    ObjectNode root = Json.object();
    ObjectNode error = root.putObject("error");
    error.put("code", e.code());
    error.put("message", e.getMessage());
    error.put("request_id", requestId);
    return json(e.status(), root);
  }
}
