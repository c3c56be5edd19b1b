package io.outlooksync.sidecar.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The API's JSON settings: strict (no duplicate keys, no trailing data), shallow, small. */
final class Json {
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  static {
    MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build());
  }

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** A required string field; 400 naming the field when absent or not a string. */
  static String text(JsonNode body, String field, int maxLength) {
    JsonNode v = body.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw ApiException.badRequest(field + " is required and must be a non-empty string");
    }
    if (v.asText().length() > maxLength) {
      throw ApiException.badRequest(field + " is longer than " + maxLength + " characters");
    }
    return v.asText();
  }
}
