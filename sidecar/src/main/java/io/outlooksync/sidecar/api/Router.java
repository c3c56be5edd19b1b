package io.outlooksync.sidecar.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Matches a method and a path against patterns like {@code /api/users/{db}/{userId}/status}. */
final class Router {
  /** How a route is authenticated. */
  enum Auth {
    /** Open: health, metrics, and Graph's webhook (which proves itself with clientState instead). */
    NONE,
    /** HMAC-signed with the shared secret. */
    SIGNED,
    /** Signed; before any secret exists, signed with the secret the body carries, from loopback only. */
    BOOTSTRAP
  }

  /** Handles one routed call. */
  @FunctionalInterface
  interface Handler {
    Response handle(Call call) throws Exception;
  }

  record Route(String method, String pattern, Auth auth, Handler handler) {
    String[] segments() {
      return pattern.substring(1).split("/", -1);
    }
  }

  /** A matched route with its path parameters. */
  record Match(Route route, Map<String, String> params) {}

  private final List<Route> routes = new ArrayList<>();

  Router add(String method, String pattern, Auth auth, Handler handler) {
    routes.add(new Route(method, pattern, auth, handler));
    return this;
  }

  /** The route for {@code path}; 404 if no pattern matches, 405 if one matches with another method. */
  Match match(String method, String path) {
    String[] parts = path.length() > 1 ? path.substring(1).split("/", -1) : new String[] {""};
    boolean pathMatched = false;
    for (Route r : routes) {
      Map<String, String> params = matchPath(r.segments(), parts);
      if (params == null) {
        continue;
      }
      if (r.method().equals(method)) {
        return new Match(r, params);
      }
      pathMatched = true;
    }
    if (pathMatched) {
      throw new ApiException(405, "method_not_allowed", method + " is not allowed on " + path);
    }
    throw new ApiException(404, "not_found", "no such endpoint: " + path);
  }

  private static Map<String, String> matchPath(String[] pattern, String[] parts) {
    if (pattern.length != parts.length) {
      return null;
    }
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < pattern.length; i++) {
      String p = pattern[i];
      if (p.startsWith("{") && p.endsWith("}")) {
        if (parts[i].isEmpty()) {
          return null;
        }
        params.put(p.substring(1, p.length() - 1), parts[i]);
      } else if (!p.equals(parts[i])) {
        return null;
      }
    }
    return params;
  }
}
