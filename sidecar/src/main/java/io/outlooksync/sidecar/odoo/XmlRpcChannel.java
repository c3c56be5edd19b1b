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
  private static final int MAX_MESSAGE = 300;

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
    return client;
  }

  /** A call to /xmlrpc/2/common (version, authenticate). */
  Object common(String method, Object... params) {
    LOG.atDebug().addKeyValue("call", "common." + method).log("odoo call");
    return execute(common, method, "common." + method, params);
  }

  /**
   * execute_kw on /xmlrpc/2/object. {@code ids} (the records the call is about, possibly none) size the debug
   * line and are named in errors; values never are.
   */
  Object executeKw(String db, int uid, String key, String model, String method, List<?> args,
      Map<String, ?> kwargs, java.util.Collection<?> ids) {
    LOG.atDebug().addKeyValue("model", model).addKeyValue("method", method).addKeyValue("ids", ids.size()).log("odoo call");
    String what = model + "." + method + (ids.isEmpty() ? "" : " " + idList(ids));
    return execute(object, "execute_kw", what, new Object[] {db, uid, key, model, method, args, kwargs});
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
      return new OdooProtocolException(what + ": the reply is not valid XML-RPC (" + shorten(e.getMessage()) + ")", e);
    }
    return fault(what, e.code, e.getMessage());
  }

  /** Odoo's fault codes (odoo/addons/base/controllers/rpc.py): 1 any error, 2 user error, 3 login, 4 access. */
  static OdooException fault(String what, int code, String faultString) {
    String text = faultString == null ? "" : faultString.strip();
    return switch (code) {
      // Odoo's own sentence comes first; later lines may quote record content.
      case 2 -> new OdooUserError(what + ": " + shorten(firstLine(text)));
      case 3 -> new OdooAuthException(what + ": Odoo refused the login or API key (" + shorten(text) + ")");
      case 4 -> new OdooAccessException(what + ": " + shorten(firstLine(text)));
      // The string is a Python traceback: its last line names the error; the rest is Odoo's internals.
      default -> new OdooException(what + ": Odoo fault " + code + ": " + shorten(lastLine(text)));
    };
  }

  /** The first ids, enough to find the records in Odoo. */
  private static String idList(java.util.Collection<?> ids) {
    List<String> first = ids.stream().limit(10).map(String::valueOf).toList();
    return "ids " + String.join(",", first) + (ids.size() > 10 ? ",... (" + ids.size() + ")" : "");
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

  private static String lastLine(String text) {
    String[] lines = text.split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      if (!lines[i].isBlank()) {
        return lines[i].strip();
      }
    }
    return "";
  }

  private static String firstLine(String text) {
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }

  private static String shorten(String text) {
    if (text == null) {
      return "";
    }
    return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "...";
  }
}
