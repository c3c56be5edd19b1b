package io.outlooksync.sidecar.odoo;

import org.junit.jupiter.api.extension.ExtendWith;

/** The gateway contract over XML-RPC against a real Odoo 17 ({@code ODOO_HOME_17}). */
@ExtendWith(RealOdooExtension.Odoo17.class)
class RealOdoo17GatewayTest extends RealOdooGatewayCases {
  @Override
  protected OdooGateway gateway(OdooConfig config) {
    return new XmlRpcOdooGateway(config);
  }
}
