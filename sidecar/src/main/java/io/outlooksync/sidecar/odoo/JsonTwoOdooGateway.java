package io.outlooksync.sidecar.odoo;

import java.util.List;
import java.util.Map;

/**
 * {@link OdooGateway} over Odoo 19's JSON-2 API ({@code POST /json/2/<model>/<method>}, bearer API key), which
 * replaces XML-RPC from Odoo 19 on. The same model calls as {@link XmlRpcOdooGateway}, with the same contexts;
 * there is no login call: the API key names its user, which {@link #authenticate()} checks is the configured
 * login.
 */
public final class JsonTwoOdooGateway extends OrmOdooGateway {
  private static final String USERS = "res.users";

  private final JsonTwoChannel channel;

  public JsonTwoOdooGateway(OdooConfig config) {
    this(config, new JsonTwoChannel(config));
  }

  JsonTwoOdooGateway(OdooConfig config, JsonTwoChannel channel) {
    super(config);
    this.channel = channel;
  }

  /** {@code GET /web/version}, which Odoo serves from 19 on (and without a database). */
  @Override
  public ServerVersion version() {
    Object reply = channel.version();
    if (reply instanceof Map<?, ?> map && map.get("version") instanceof String text
        && map.get("version_info") instanceof Object[] info && info.length >= 2 && info[1] instanceof Integer minor) {
      Integer major = ServerVersion.major(info[0]);
      if (major != null) {
        return new ServerVersion(text, major, minor);
      }
    }
    throw new OdooProtocolException("web/version: the reply is " + Row.typeName(reply) + " without a version");
  }

  /**
   * {@code res.users.context_get} tells whose key it is (a wrong key is a 401); then that user's login must be
   * the configured one, as XML-RPC's authenticate(login, key) would insist.
   */
  @Override
  protected int login() {
    Object reply = channel.call(new OdooCall(USERS, "context_get", null, Map.of(), Map.of(), Map.of(), List.of()));
    if (!(reply instanceof Map<?, ?> context) || !(context.get("uid") instanceof Integer uid) || uid <= 0) {
      throw new OdooProtocolException(USERS + ".context_get: the reply is " + Row.typeName(reply) + " without a uid");
    }
    Object users = channel.call(new OdooCall(USERS, "search_read", null, Map.of("domain", List.of(List.of("id", "=", uid))),
        Map.of("fields", List.of("login")), Map.of(), List.of(uid)));
    List<Row> rows = Row.list(USERS, "search_read", users);
    String login = rows.isEmpty() ? null : rows.get(0).string("login");
    if (!config.login().equals(login)) {
      throw new OdooAuthException(USERS + ".context_get: the API key belongs to login " + login + ", not to the configured login "
          + config.login() + " on database " + config.database());
    }
    return uid;
  }

  @Override
  protected Object send(int uid, OdooCall call) {
    return channel.call(call);
  }
}
