package io.outlooksync.sidecar.odoo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Odoo 19's JSON-2 API: {@code POST /json/2/<model>/<method>} with the API key as bearer token and the
 * database in {@code X-Odoo-Database}, the call's ids, context and named arguments in one JSON object
 * (odoo/addons/rpc/controllers/json2.py), and {@code GET /web/version}. Replies are turned into XML-RPC's value
 * forms (see {@link OdooCall}). Hardened like the XML-RPC channel: both timeouts, replies over
 * {@link #MAX_REPLY_BYTES} refused before parsing, Jackson's nesting and length limits, and every failure leaves
 * as an {@link OdooException} subtype.
 */
final class JsonTwoChannel {
  private static final Logger LOG = LoggerFactory.getLogger(JsonTwoChannel.class);
  /** 500 events with long descriptions stay far below; more is not an Odoo reply we asked for. */
  static final long MAX_REPLY_BYTES = 64L * 1024 * 1024;
  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OdooConfig config;
  private final HttpUrl base;
  private final OkHttpClient http;
  private final long maxReply;

  JsonTwoChannel(OdooConfig config) {
    this(config, MAX_REPLY_BYTES);
  }

  JsonTwoChannel(OdooConfig config, long maxReply) {
    this.config = config;
    this.base = HttpUrl.get(config.url().toString().replaceAll("/+$", ""));
    this.maxReply = maxReply;
    this.http = new OkHttpClient.Builder()
        .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .readTimeout(config.replyTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .writeTimeout(config.replyTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .followRedirects(false)
        .retryOnConnectionFailure(false) // a write must not be sent twice behind our back
        .build();
  }

  /** {@code GET /web/version}: {"version_info": [19, 0, 0, "final", 0, ""], "version": "19.0"}. */
  Object version() {
    LOG.atDebug().addKeyValue("call", "web/version").log("odoo call");
    Request request = new Request.Builder().url(base.newBuilder().addPathSegments("web/version").build()).get().build();
    return exchange("web/version", request);
  }

  /** {@code POST /json/2/<model>/<method>} as the owner of the API key. */
  Object call(OdooCall call) {
    LOG.atDebug().addKeyValue("model", call.model()).addKeyValue("method", call.method())
        .addKeyValue("ids", call.about().size()).log("odoo call");
    Map<String, Object> body = new LinkedHashMap<>();
    if (call.ids() != null) {
      body.put("ids", call.ids());
    }
    if (!call.context().isEmpty()) {
      body.put("context", call.context());
    }
    body.putAll(call.args());
    body.putAll(call.options());
    byte[] json;
    try {
      json = JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(call.describe() + ": the arguments are not JSON", e);
    }
    HttpUrl url = base.newBuilder().addPathSegments("json/2").addPathSegment(call.model()).addPathSegment(call.method()).build();
    Request request = new Request.Builder().url(url)
        .header("Authorization", "bearer " + config.apiKey())
        .header("X-Odoo-Database", config.database())
        .post(RequestBody.create(json, JSON_TYPE)).build();
    return exchange(call.describe(), request);
  }

  private Object exchange(String what, Request request) {
    int status;
    byte[] body;
    String type;
    try (Response response = http.newCall(request).execute()) {
      status = response.code();
      type = response.header("Content-Type", "");
      body = read(what, response.body());
    } catch (IOException e) {
      throw new OdooUnavailableException(what + ": Odoo is unreachable (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
    }
    if (status == 502 || status == 503 || status == 504) {
      throw new OdooUnavailableException(what + ": Odoo is unavailable (HTTP " + status + ")", null);
    }
    if (status != 200) {
      throw JsonTwoErrors.of(what, status, parseQuietly(type, body), config);
    }
    if (!type.startsWith("application/json")) {
      throw new OdooProtocolException(what + ": the reply is " + (type.isEmpty() ? "untyped" : type) + ", not JSON");
    }
    try {
      return wire(JSON.readTree(body));
    } catch (JsonProcessingException e) {
      // The original message, without Jackson's location part, which quotes the reply.
      throw new OdooProtocolException(what + ": the reply is not valid JSON (" + OdooText.shorten(e.getOriginalMessage()) + ")", e);
    } catch (IOException e) {
      throw new OdooProtocolException(what + ": the reply is not valid JSON (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  /** The whole body, or a protocol error past the limit (checked before reading it all). */
  private byte[] read(String what, ResponseBody body) throws IOException {
    if (body.contentLength() > maxReply) {
      throw new OdooProtocolException(what + ": the reply has " + body.contentLength() + " bytes, over the limit of " + maxReply);
    }
    BufferedSource source = body.source();
    if (source.request(maxReply + 1)) {
      throw new OdooProtocolException(what + ": the reply is over the limit of " + maxReply + " bytes");
    }
    return source.readByteArray();
  }

  private static JsonNode parseQuietly(String type, byte[] body) {
    if (!type.startsWith("application/json")) {
      return null;
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  /** JSON as XML-RPC's value forms: arrays become Object[], integers Integer when they fit, null stays null. */
  static Object wire(JsonNode node) {
    return switch (node.getNodeType()) {
      case OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> field = it.next();
          map.put(field.getKey(), wire(field.getValue()));
        }
        yield map;
      }
      case ARRAY -> {
        Object[] array = new Object[node.size()];
        for (int i = 0; i < array.length; i++) {
          array[i] = wire(node.get(i));
        }
        yield array;
      }
      case NUMBER -> node.isIntegralNumber() ? (node.canConvertToInt() ? (Object) node.intValue() : node.numberValue())
          : (Object) node.doubleValue();
      case STRING -> node.textValue();
      case BOOLEAN -> node.booleanValue();
      default -> null;
    };
  }
}
