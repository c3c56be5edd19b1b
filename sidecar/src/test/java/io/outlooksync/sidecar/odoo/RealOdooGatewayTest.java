package io.outlooksync.sidecar.odoo;

import org.junit.jupiter.api.extension.ExtendWith;

/** The gateway contract over XML-RPC against a real Odoo 18 ({@code ODOO_HOME_18} or {@code ODOO_HOME}). */
@ExtendWith(RealOdooExtension.class)
class RealOdooGatewayTest extends RealOdooGatewayCases {
  @Override
  protected OdooGateway gateway(OdooConfig config) {
    return new XmlRpcOdooGateway(config);
  }
}
