package io.outlooksync.sidecar.odoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.fixtures.odoo.OdooEmulator;
import io.outlooksync.fixtures.odoo.OdooUser;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The protocol follows the server's release, unless configured; against emulated Odoo 17, 18 and 19. */
class OdooGatewaysTest {

  private static OdooEmulator odoo(int major) {
    return OdooEmulator.builder().database("prod").version(major)
        .user(OdooUser.of("sync", "sync-pw").apiKey("sync-key").name("Sync").email("sync@example.com").asAdmin()).build().start();
  }

  private static OdooConfig config(OdooEmulator odoo, String secret) {
    return OdooConfig.of(odoo.url(), "prod", "sync", secret);
  }

  @Test
  void autoPicksXmlRpcBefore19AndJsonTwoFrom19() {
    for (int major : List.of(17, 18, 19)) {
      try (OdooEmulator odoo = odoo(major)) {
        OdooGateway gateway = OdooGateways.open(config(odoo, "sync-key"), OdooProtocol.AUTO);
        assertEquals(major >= 19 ? JsonTwoOdooGateway.class : XmlRpcOdooGateway.class, gateway.getClass(), "Odoo " + major);
        assertEquals(odoo.uid("sync"), gateway.authenticate());
        assertEquals(major, gateway.version().major());
        odoo.calls().clear();
        gateway.events(List.of(1L));
        assertEquals(List.of("calendar.event.search_read"), odoo.calls().calls());
      }
    }
  }

  @Test
  void aConfiguredProtocolIsUsedAsIs() {
    try (OdooEmulator odoo = odoo(19)) {
      assertInstanceOf(XmlRpcOdooGateway.class, OdooGateways.open(config(odoo, "sync-key"), OdooProtocol.XMLRPC));
      assertEquals(odoo.uid("sync"), OdooGateways.open(config(odoo, "sync-key"), OdooProtocol.XMLRPC).authenticate());
    }
    try (OdooEmulator odoo = odoo(18)) {
      OdooGateway forced = OdooGateways.open(config(odoo, "sync-key"), OdooProtocol.JSON2);
      OdooException e = assertThrows(OdooException.class, forced::authenticate);
      assertTrue(e.getMessage().contains("JSON-2 needs Odoo 19"), e.getMessage());
    }
    assertEquals(OdooProtocol.JSON2, OdooProtocol.parse(" JSON2 "));
    assertThrows(IllegalArgumentException.class, () -> OdooProtocol.parse("soap"));
  }

  @Test
  void jsonTwoTakesOnlyTheApiKeyAndItsOwnersLogin() {
    try (OdooEmulator odoo = OdooEmulator.builder().database("prod").version(19)
        .user(OdooUser.of("sync", "sync-pw").apiKey("sync-key").name("Sync").asAdmin())
        .user(OdooUser.of("other", "other-pw").apiKey("other-key").name("Other")).build().start()) {
      // XML-RPC takes a password as well as a key; JSON-2's bearer is an API key only.
      assertEquals(odoo.uid("sync"), new XmlRpcOdooGateway(config(odoo, "sync-pw")).authenticate());
      assertThrows(OdooAuthException.class, () -> new JsonTwoOdooGateway(config(odoo, "sync-pw")).authenticate());
      OdooAuthException e = assertThrows(OdooAuthException.class, () -> new JsonTwoOdooGateway(config(odoo, "other-key")).authenticate());
      assertTrue(e.getMessage().contains("belongs to login other, not to the configured login sync"), e.getMessage());
    }
  }

  @Test
  void anUnreachableOdooIsRetryableWhenChoosing() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    OdooConfig down = new OdooConfig(java.net.URI.create("http://127.0.0.1:" + port), "prod", "sync", "k", Duration.ofSeconds(2),
        Duration.ofSeconds(2));
    assertTrue(assertThrows(OdooUnavailableException.class, () -> OdooGateways.open(down, OdooProtocol.AUTO)).retryable());
  }
}
