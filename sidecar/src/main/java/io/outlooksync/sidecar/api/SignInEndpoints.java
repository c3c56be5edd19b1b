package io.outlooksync.sidecar.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outlooksync.sidecar.auth.SignIn;
import io.outlooksync.sidecar.auth.SignInException;
import io.outlooksync.sidecar.store.Account;
import java.net.URI;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in through the API: the addon asks for the authorize URL of one of its users, sends the browser there,
 * and forwards what Microsoft sends back to its redirect route (code and state, or an error).
 */
public final class SignInEndpoints {
  private static final Logger LOG = LoggerFactory.getLogger(SignInEndpoints.class);
  private static final int MAX_PARAM = 4096;

  /** Where sign-ins come from: empty until the Microsoft settings are complete. */
  public interface Source {
    Optional<SignIn> signIn();

    /** Settings still missing before anyone can sign in. */
    List<String> missingForSignIn();
  }

  private final Source source;

  public SignInEndpoints(Source source) {
    this.source = source;
  }

  Response start(Call c, String db, long userId) throws SQLException {
    SignIn signIn = signIn();
    JsonNode body = c.json();
    String login = text(body, "login");
    String hint = text(body, "login_hint");
    URI url = signIn.start(db, userId, login, hint);
    ObjectNode n = Json.object();
    n.put("authorize_url", url.toString());
    LOG.atInfo().addKeyValue("req", c.requestId()).addKeyValue("db", db).addKeyValue("user", userId).log("sign-in started");
    return Response.json(200, n);
  }

  Response complete(Call c) throws SQLException {
    SignIn signIn = signIn();
    JsonNode body = c.json();
    String state = text(body, "state");
    if (state == null) {
      throw ApiException.badRequest("state is required: forward the state Microsoft sent to the redirect route");
    }
    try {
      String error = text(body, "error");
      if (error != null) {
        signIn.fail(state, error, text(body, "error_description"));
        throw new IllegalStateException("SignIn.fail always reports a failure");
      }
      String code = text(body, "code");
      if (code == null) {
        throw ApiException.badRequest("code (or error) is required: forward what Microsoft sent to the redirect route");
      }
      Account a = signIn.complete(code, state);
      ObjectNode n = Json.object();
      n.put("db", a.odooDb());
      n.put("user_id", a.odooUserId());
      n.put("state", a.state().name());
      n.put("ms_username", a.msUsername());
      LOG.atInfo().addKeyValue("req", c.requestId()).addKeyValue("db", a.odooDb()).addKeyValue("user", a.odooUserId())
          .addKeyValue("account", a.id()).log("sign-in completed");
      return Response.json(200, n);
    } catch (SignInException e) {
      LOG.atWarn().addKeyValue("req", c.requestId()).addKeyValue("account", e.accountId()).addKeyValue("failure", e.failure())
          .addKeyValue("microsoft", e.microsoftCode()).log("sign-in failed");
      throw new ApiException(status(e), e.failure().name().toLowerCase(Locale.ROOT), e.failure().message());
    }
  }

  private SignIn signIn() {
    return source.signIn().orElseThrow(() -> new ApiException(409, "not_configured",
        "sign-in needs these settings first: " + String.join(", ", source.missingForSignIn())));
  }

  /** The user's problems are 400; the administrator's 409; Microsoft's own 502/503. */
  private static int status(SignInException e) {
    return switch (e.failure()) {
      case APP_REJECTED -> 409;
      case MICROSOFT_ERROR -> 502;
      case MICROSOFT_UNREACHABLE -> 503;
      default -> 400;
    };
  }

  private static String text(JsonNode body, String field) {
    JsonNode v = body == null ? null : body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual() || v.asText().isEmpty() || v.asText().length() > MAX_PARAM) {
      throw ApiException.badRequest(field + " must be a non-empty string of at most " + MAX_PARAM + " characters");
    }
    return v.asText();
  }
}
