package io.outlooksync.sidecar.odoo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the gateway for an Odoo: JSON-2 from Odoo 19 on (which deprecates XML-RPC, to be removed in Odoo 22),
 * XML-RPC for 17 and 18. {@code GET /web/version} exists only from 19 on, so it is asked first; where it is
 * missing, XML-RPC's {@code common.version} answers.
 */
public final class OdooGateways {
  private static final Logger LOG = LoggerFactory.getLogger(OdooGateways.class);
  /** The first release with JSON-2. */
  static final int JSON_TWO_SINCE = 19;

  private OdooGateways() {}

  /** The gateway for {@code protocol}; AUTO asks the server its version (an unreachable Odoo throws, retryable). */
  public static OdooGateway open(OdooConfig config, OdooProtocol protocol) {
    OdooGateway gateway = switch (protocol) {
      case XMLRPC -> new XmlRpcOdooGateway(config);
      case JSON2 -> new JsonTwoOdooGateway(config);
      case AUTO -> choose(config);
    };
    LOG.atInfo().addKeyValue("protocol", gateway instanceof JsonTwoOdooGateway ? "json2" : "xmlrpc")
        .addKeyValue("configured", protocol.id()).log("odoo gateway");
    return gateway;
  }

  private static OdooGateway choose(OdooConfig config) {
    JsonTwoOdooGateway json = new JsonTwoOdooGateway(config);
    ServerVersion version;
    try {
      version = json.version();
    } catch (OdooUnavailableException e) {
      throw e;
    } catch (OdooException e) {
      // No /web/version (a 404, or the web client's page): an Odoo before 19.
      version = new XmlRpcOdooGateway(config).version();
    }
    LOG.atInfo().addKeyValue("version", version.serverVersion()).log("odoo version");
    return version.major() >= JSON_TWO_SINCE ? json : new XmlRpcOdooGateway(config);
  }
}
