package io.outlooksync.sidecar.odoo;

/** The contract and the emulator's outages and faults over XML-RPC, against an emulated Odoo 18. */
class EmulatedOdooGatewayTest extends EmulatedOdooCases {
  @Override
  protected OdooGateway gateway(OdooConfig config) {
    return new XmlRpcOdooGateway(config);
  }

  @Override
  protected int major() {
    return 18;
  }
}
