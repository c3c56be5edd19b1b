package io.outlooksync.sidecar.odoo;

import java.net.URL;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcClientConfigImpl;

/**
 * Plain XML-RPC as an administrator, for arranging what the gateway does not do (deleting, users, partners) and
 * for checking what a test wrote without going through the code under test.
 */
public final class RawOdoo {
  private final XmlRpcClient object = new XmlRpcClient();
  private final String db;
  private final int uid;
  private final String secret;

  public RawOdoo(String baseUrl, String db, int uid, String secret) throws Exception {
    XmlRpcClientConfigImpl config = new XmlRpcClientConfigImpl();
    config.setServerURL(new URL(baseUrl + "/xmlrpc/2/object"));
    config.setConnectionTimeout(5_000);
    config.setReplyTimeout(120_000);
    object.setConfig(config);
    this.db = db;
    this.uid = uid;
    this.secret = secret;
  }

  public Object call(String model, String method, List<?> args, Map<String, ?> kwargs) {
    try {
      return object.execute("execute_kw", new Object[] {db, uid, secret, model, method, args, kwargs});
    } catch (XmlRpcException e) {
      throw new IllegalStateException(model + "." + method + ": " + e.getMessage(), e);
    }
  }

  public long create(String model, Map<String, ?> vals) {
    return (Integer) call(model, "create", List.of(vals), Map.of());
  }

  public void unlink(String model, long id) {
    call(model, "unlink", List.of(List.of((int) id)), Map.of());
  }

  /** The ids matching a domain, archived records included. */
  public List<Long> searchAll(String model, List<?> domain) {
    return list(call(model, "search", List.of(domain), Map.of("context", Map.of("active_test", false))))
        .stream().map(id -> ((Number) id).longValue()).toList();
  }

  public static List<Object> list(Object array) {
    return Arrays.asList((Object[]) array);
  }
}
