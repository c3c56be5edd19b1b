package io.outlooksync.sidecar.graph;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Adds the preferences no call may forget, merged into the request's own {@code Prefer} (page size): immutable
 * ids (regular ids change when an item moves, and the store keys mappings by id) and the zone replies are
 * written in. {@code $batch} steps do not inherit the envelope's headers; {@link BatchWriter} sets them per step.
 */
final class PreferInterceptor implements Interceptor {
  static final String IMMUTABLE_IDS = "IdType=\"ImmutableId\"";

  private final String readZone;

  PreferInterceptor(String readZone) {
    this.readZone = readZone;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    return chain.proceed(request.newBuilder().header("Prefer", merged(request.headers("Prefer"), readZone)).build());
  }

  /** One {@code Prefer} value holding the given ones plus ours, each preference once. */
  static String merged(List<String> existing, String readZone) {
    List<String> parts = new ArrayList<>();
    for (String value : existing) {
      for (String p : value.split(",")) {
        if (!p.isBlank()) {
          parts.add(p.trim());
        }
      }
    }
    if (parts.stream().noneMatch(p -> p.toLowerCase(Locale.ROOT).startsWith("idtype"))) {
      parts.add(IMMUTABLE_IDS);
    }
    if (parts.stream().noneMatch(p -> p.toLowerCase(Locale.ROOT).startsWith("outlook.timezone"))) {
      parts.add("outlook.timezone=\"" + readZone + "\"");
    }
    return String.join(", ", parts);
  }
}
