package io.outlooksync.sidecar.graph;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Signs every request with the mailbox's token. Kiota's authentication providers run before the HTTP chain and
 * never see the reply, so the "401, refresh, once more" step has to live here: a long delta round or a
 * revoked token gets one forced refresh, then the 401 goes to the caller.
 */
final class BearerInterceptor implements Interceptor {
  private final AccessTokenSource tokens;

  BearerInterceptor(AccessTokenSource tokens) {
    this.tokens = tokens;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    Response reply = chain.proceed(signed(request, false));
    if (reply.code() != 401 || !expiredToken(reply) || (request.body() != null && request.body().isOneShot())) {
      return reply;
    }
    reply.close();
    return chain.proceed(signed(request, true));
  }

  private Request signed(Request request, boolean forceRefresh) throws IOException {
    String token;
    try {
      token = tokens.accessToken(forceRefresh);
    } catch (RuntimeException e) {
      // Carried through OkHttp and Kiota as an IOException; GraphFailures hands the original to the caller.
      throw new TokenSourceFailure(e);
    }
    return request.newBuilder().header("Authorization", "Bearer " + token).build();
  }

  /** Graph's code for an expired, revoked or malformed bearer token; other 401s are not cured by a refresh. */
  private static boolean expiredToken(Response reply) throws IOException {
    return reply.peekBody(16 * 1024).string().contains("InvalidAuthenticationToken");
  }

  /** The token source's own exception, wrapped only to cross OkHttp's IOException-only interceptor contract. */
  static final class TokenSourceFailure extends IOException {
    private static final long serialVersionUID = 1L;

    TokenSourceFailure(RuntimeException cause) {
      super("the token source failed", cause);
    }

    RuntimeException original() {
      return (RuntimeException) getCause();
    }
  }
}
