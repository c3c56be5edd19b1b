package io.outlooksync.sidecar.odoo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link OdooGateway} over Odoo's external XML-RPC API ({@code /xmlrpc/2/common} and {@code /xmlrpc/2/object}),
 * the API of Odoo 17 and 18. Odoo 19 still serves it but deprecates it (removal announced for Odoo 22), so 19
 * and later get {@link JsonTwoOdooGateway} (see {@link OdooGateways}).
 */
public final class XmlRpcOdooGateway extends OrmOdooGateway {
  private final XmlRpcChannel channel;

  public XmlRpcOdooGateway(OdooConfig config) {
    super(config);
    this.channel = new XmlRpcChannel(config);
  }

  @Override
  public ServerVersion version() {
    Object reply = channel.common("version");
    if (reply instanceof Map<?, ?> map && map.get("server_version") instanceof String text
        && map.get("server_version_info") instanceof Object[] info && info.length >= 2
        && info[1] instanceof Integer minor) {
      Integer major = ServerVersion.major(info[0]);
      if (major != null) {
        return new ServerVersion(text, major, minor);
      }
    }
    throw new OdooProtocolException("common.version: the reply is " + Row.typeName(reply) + " without a version");
  }

  @Override
  protected int login() {
    Object reply = channel.common("authenticate", config.database(), config.login(), config.apiKey(), Map.of());
    if (reply instanceof Integer id && id > 0) {
      return id;
    }
    if (Boolean.FALSE.equals(reply)) {
      throw new OdooAuthException("common.authenticate: Odoo refused login " + config.login() + " with its API key on database "
          + config.database());
    }
    throw new OdooProtocolException("common.authenticate: the reply is " + Row.typeName(reply) + ", not a uid");
  }

  /** execute_kw(db, uid, key, model, method, [ids, *args], {**options, context}). */
  @Override
  protected Object send(int uid, OdooCall call) {
    List<Object> args = new ArrayList<>();
    if (call.ids() != null) {
      args.add(call.ids());
    }
    args.addAll(call.args().values());
    Map<String, Object> kwargs = new LinkedHashMap<>(call.options());
    if (!call.context().isEmpty()) {
      kwargs.put("context", call.context());
    }
    return channel.executeKw(config.database(), uid, config.apiKey(), call, args, kwargs);
  }
}
