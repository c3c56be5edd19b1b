package io.outlooksync.sidecar.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.outlooksync.fixtures.m365.M365EmulatorExtension;
import io.outlooksync.sidecar.odoo.OdooEventDraft;
import io.outlooksync.sidecar.odoo.OdooGateway;
import io.outlooksync.sidecar.odoo.OdooUnavailableException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Bulk creates in the Odoo emulator: one bad event fails alone, a lost reply creates nothing twice. */
class OdooCreatesTest {
  @RegisterExtension
  static final M365EmulatorExtension m365 = new M365EmulatorExtension();

  @TempDir
  Path dataDir;

  EmulatedAccount emulated;
  final Instant tomorrow = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.DAYS);

  @BeforeEach
  void start() throws Exception {
    emulated = new EmulatedAccount(m365.emulator(), dataDir);
  }

  @AfterEach
  void stop() throws Exception {
    emulated.close();
  }

  private List<OdooEventDraft> drafts(int n) {
    List<OdooEventDraft> out = new ArrayList<>();
    for (OdooEventDraft d : emulated.hourly("Bulk", tomorrow, n)) {
      out.add(d.withSource("key-" + out.size()));
    }
    return out;
  }

  private int odooCalls(String method) {
    return (int) emulated.odooEmulator.calls().calls().stream().filter(c -> c.contains("calendar.event." + method)).count();
  }

  /** Alice's events made here, each counted (a key on two events would count twice). */
  private int eventsTitledBulk() {
    return (int) emulated.odoo.eventsOfUserChangedSince(emulated.alicePartner, emulated.aliceUid, Instant.EPOCH, 0, 1000).items().stream()
        .filter(e -> e.name().startsWith("Bulk ")).count();
  }

  @Test
  void allInOneCallWhenOdooTakesThem() {
    emulated.odooEmulator.calls().clear();
    OdooCreates.Result r = OdooCreates.create(emulated.odoo, drafts(40));
    assertEquals(1, odooCalls("create"));
    assertTrue(r.ids().stream().allMatch(id -> id != null));
    assertEquals(40, eventsTitledBulk());
  }

  @Test
  void oneEventOdooRefusesFailsAloneInAFewCalls() {
    List<OdooEventDraft> drafts = drafts(40);
    // A partner that does not exist: Odoo refuses the whole create (a foreign key), rolling back the other 39.
    drafts.set(17, drafts.get(17).withPartners(List.of(emulated.alicePartner, 999_999L)));
    emulated.odooEmulator.calls().clear();

    OdooCreates.Result r = OdooCreates.create(emulated.odoo, drafts);

    assertNull(r.id(17));
    assertNotNull(r.error(17));
    for (int i = 0; i < 40; i++) {
      if (i != 17) {
        assertNotNull(r.id(i), "event " + i);
      }
    }
    assertEquals(39, eventsTitledBulk());
    assertTrue(odooCalls("create") <= 1 + 2 * 6, "halving, not one call per event: " + odooCalls("create"));
  }

  @Test
  void aCreateWhoseReplyIsLostIsFoundByItsKeysNotMadeAgain() {
    AtomicInteger creates = new AtomicInteger();
    // The first create is cut off: Odoo made the first half of the events, the reply is lost (the real gateway underneath).
    OdooGateway lossy = (OdooGateway) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {OdooGateway.class},
        (proxy, method, args) -> {
          try {
            if (method.getName().equals("createEvents") && creates.incrementAndGet() == 1) {
              List<?> drafts = (List<?>) args[0];
              emulated.odoo.createEvents(castDrafts(drafts.subList(0, drafts.size() / 2)));
              throw new OdooUnavailableException("calendar.event.create: no reply", null);
            }
            return method.invoke(emulated.odoo, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });

    OdooCreates.Result r = OdooCreates.create(lossy, drafts(40));

    assertTrue(r.ids().stream().allMatch(id -> id != null), r.errors().toString());
    assertEquals(40, eventsTitledBulk(), "20 found by their keys, 20 made again, none twice");
    assertEquals(40, r.ids().stream().distinct().count());
  }

  @SuppressWarnings("unchecked")
  private static List<OdooEventDraft> castDrafts(List<?> drafts) {
    return (List<OdooEventDraft>) drafts;
  }
}
