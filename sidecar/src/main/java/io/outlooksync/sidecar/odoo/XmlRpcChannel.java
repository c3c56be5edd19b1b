package io.outlooksync.sidecar.odoo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.io.IOException;
import java.net.MalformedURLException;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcClientConfigImpl;
import org.apache.xmlrpc.client.XmlRpcClientException;
import org.apache.xmlrpc.client.XmlRpcHttpTransportException;
import org.apache.xmlrpc.util.SAXParsers;
import org.xml.sax.SAXException;

/**
 * The two XML-RPC endpoints of one Odoo, hardened (TECH-NOTES §4): no extensions (no serialized objects, no
 * nil), no exception objects from faults, a DOCTYPE in a reply is refused, and both timeouts are set. Every
 * failure leaves as an {@link OdooException} subtype; nothing from the XML-RPC library escapes.
 */
final class XmlRpcChannel {
  private static final Logger LOG = LoggerFactory.getLogger(XmlRpcChannel.class);
  
  static {
    // The library shares one parser factory; refusing DOCTYPE there closes XXE and DTD fetches (CVE-2016-5002).
    try {
      SAXParsers.getSAXParserFactory().setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    } catch (ParserConfigurationException | SAXException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final XmlRpcClient common;
  private final XmlRpcClient object;

  XmlRpcChannel(OdooConfig config) {
    this.common = client(config, "/xmlrpc/2/common");
    this.object = client(config, "/xmlrpc/2/object");
  }

  private static XmlRpcClient client(OdooConfig config, String path) {
    XmlRpcClientConfigImpl c = new XmlRpcClientConfigImpl();
    String base = config.url().toString().replaceAll("/+$", "");
    try {
      c.setServerURL(new java.net.URL(base + path));
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("bad Odoo URL " + config.url(), e);
    }
    c.setEnabledForExtensions(false);
    c.setEnabledForExceptions(false);
    c.setConnectionTimeout(Math.toIntExact(config.connectTimeout().toMillis()));
    c.setReplyTimeout(Math.toIntExact(config.replyTimeout().toMillis()));
    c.setEncoding("UTF-8");
    XmlRpcClient client = new XmlRpcClient();
    client.setConfig(c);
    client.setTransportFactory(new QuietParsing(client));
    return client;
  }

  /** A call to /xmlrpc/2/common (version, authenticate). */
  Object common(String method, Object... params) {
    LOG.atDebug().addKeyValue("call", "common." + method).log("odoo call");
    return execute(common, method, "common." + method, params);
  }

  /**
   * execute_kw on /xmlrpc/2/object. The records the call is about (possibly none) size the debug line and are
   * named in errors; values never are.
   */
  Object executeKw(String db, int uid, String key, OdooCall call, List<?> args, Map<String, ?> kwargs) {
    LOG.atDebug().addKeyValue("model", call.model()).addKeyValue("method", call.method())
        .addKeyValue("ids", call.about().size()).log("odoo call");
    return execute(object, "execute_kw", call.describe(), new Object[] {db, uid, key, call.model(), call.method(), XmlText.clean(args),
        XmlText.clean(kwargs)});
  }

  private static Object execute(XmlRpcClient client, String rpcMethod, String what, Object[] params) {
    try {
      return client.execute(rpcMethod, params);
    } catch (XmlRpcException e) {
      throw translate(what, e);
    } catch (RuntimeException e) {
      // The library throws a few unchecked exceptions on odd replies (e.g. an unknown value type).
      throw new OdooProtocolException(what + ": unreadable reply (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  static OdooException translate(String what, XmlRpcException e) {
    if (e instanceof XmlRpcHttpTransportException http) {
      int status = http.getStatusCode();
      if (status == 502 || status == 503 || status == 504) {
        return new OdooUnavailableException(what + ": Odoo is unavailable (HTTP " + status + ")", e);
      }
      return new OdooException(what + ": Odoo answered HTTP " + status + " (is the URL right?)", e);
    }
    IOException io = ioCause(e);
    if (io != null) {
      return new OdooUnavailableException(what + ": Odoo is unreachable (" + io.getClass().getSimpleName()
          + (io.getMessage() == null ? "" : ": " + io.getMessage()) + ")", e);
    }
    if (e instanceof XmlRpcClientException || e.getCause() != null) {
      return new OdooProtocolException(what + ": the reply is not valid XML-RPC (" + OdooText.shorten(e.getMessage()) + ")", e);
    }
    return fault(what, e.code, e.getMessage());
  }

  /** Odoo's fault codes (odoo/addons/base/controllers/rpc.py): 1 any error, 2 user error, 3 login, 4 access. */
  static OdooException fault(String what, int code, String faultString) {
    String text = faultString == null ? "" : faultString.strip();
    return switch (code) {
      // Odoo's own sentence comes first; later lines may quote record content.
      case 2 -> new OdooUserError(what + ": " + OdooText.shorten(OdooText.firstLine(text)));
      case 3 -> new OdooAuthException(what + ": Odoo refused the login or API key (" + OdooText.shorten(text) + ")");
      case 4 -> new OdooAccessException(what + ": " + OdooText.shorten(OdooText.firstLine(text)));
      // The string is a Python traceback: its last line names the error; the rest is Odoo's internals.
      default -> new OdooException(what + ": Odoo fault " + code + ": " + OdooText.shorten(OdooText.lastLine(text)));
    };
  }

  private static IOException ioCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SAXException) {
        return null;
      }
      if (t instanceof IOException io) {
        return io;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }
}
