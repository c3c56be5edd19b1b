package io.outlooksync.sidecar.graph;

import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.kiota.ApiException;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;

/** Turns what the SDK throws into our typed exceptions, worded with the call and ids only. */
final class GraphFailures {
  private GraphFailures() {}

  static RuntimeException translate(String what, Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof BearerInterceptor.TokenSourceFailure f) {
        return f.original(); // e.g. the auth package's "sign in again": the caller must see it as it was thrown
      }
      if (c instanceof GraphException g) {
        return g;
      }
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ApiException api && api.getResponseStatusCode() > 0) {
        int status = api.getResponseStatusCode();
        String code = c instanceof ODataError o && o.getError() != null ? o.getError().getCode() : null;
        String message = what + ": HTTP " + status + (code == null ? "" : " " + code);
        if ("SyncStateNotFound".equalsIgnoreCase(code) || status == 410) {
          return new DeltaExpiredException(message, api);
        }
        if (status == 429) {
          return new GraphThrottledException(message, code, retryAfter(api), api);
        }
        if (status >= 500) {
          return new GraphUnavailableException(message, status, code, api);
        }
        return new GraphException(message, status, code, api);
      }
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof IOException) {
        return new GraphUnavailableException(what + ": no reply (" + c.getClass().getSimpleName() + ")", 0, null, t);
      }
    }
    return new GraphException(what + ": " + t.getClass().getSimpleName(), 0, null, t);
  }

  private static Duration retryAfter(ApiException api) {
    if (api.getResponseHeaders() == null) {
      return null;
    }
    for (var e : api.getResponseHeaders().entrySet()) {
      if (e.getKey().equalsIgnoreCase("Retry-After")) {
        Set<String> values = e.getValue();
        return values.isEmpty() ? null : parseRetryAfter(values.iterator().next());
      }
    }
    return null;
  }

  /** {@code Retry-After} in seconds, possibly fractional ("2.128"); null when absent or not a number. */
  static Duration parseRetryAfter(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      double seconds = Double.parseDouble(value.trim());
      return seconds < 0 ? null : Duration.ofMillis((long) Math.ceil(seconds * 1000));
    } catch (NumberFormatException e) {
      return null; // an HTTP date: Graph does not send those; the caller backs off on its own
    }
  }
}
