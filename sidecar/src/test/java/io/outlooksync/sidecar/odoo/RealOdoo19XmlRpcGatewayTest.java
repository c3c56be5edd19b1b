package io.outlooksync.sidecar.odoo;

import org.junit.jupiter.api.extension.ExtendWith;

/** The gateway contract over XML-RPC, which Odoo 19 still serves (deprecated), against a real Odoo 19. */
@ExtendWith(RealOdooExtension.Odoo19.class)
class RealOdoo19XmlRpcGatewayTest extends RealOdooGatewayCases {
  @Override
  protected OdooGateway gateway(OdooConfig config) {
    return new XmlRpcOdooGateway(config);
  }
}
