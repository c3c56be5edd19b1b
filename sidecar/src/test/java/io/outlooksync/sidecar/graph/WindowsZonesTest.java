package io.outlooksync.sidecar.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WindowsZonesTest {
  @Test
  void ianaZonesGraphRefusesAreSentAsTheirWindowsName() {
    assertEquals(Optional.of("Romance Standard Time"), WindowsZones.windowsName(ZoneId.of("Europe/Brussels")));
    assertEquals(Optional.of("W. Europe Standard Time"), WindowsZones.windowsName(ZoneId.of("Europe/Zurich")));
    assertEquals(Optional.of("Pacific Standard Time"), WindowsZones.windowsName(ZoneId.of("America/Los_Angeles")));
    assertEquals(Optional.of("UTC"), WindowsZones.windowsName(ZoneOffset.UTC));
    assertEquals(Optional.of("FLE Standard Time"), WindowsZones.windowsName(ZoneId.of("Europe/Kyiv")), "a renamed zone still maps");
  }

  @Test
  void namesFromGraphBecomeZones() {
    assertEquals(Optional.of(ZoneId.of("Europe/Paris")), WindowsZones.zone("Romance Standard Time"));
    assertEquals(Optional.of(ZoneId.of("Europe/Berlin")), WindowsZones.zone("w. europe standard time"));
    assertEquals(Optional.of(ZoneId.of("Asia/Kolkata")), WindowsZones.zone("Asia/Kolkata"));
    assertEquals(Optional.of(ZoneOffset.UTC), WindowsZones.zone("UTC"));
    assertTrue(WindowsZones.zone("Mars Standard Time").isEmpty());
    assertTrue(WindowsZones.zone("").isEmpty());
  }

  @Test
  void everyWindowsNameRoundTripsThroughItsZone() {
    for (String win : new String[] {"Tokyo Standard Time", "E. South America Standard Time", "AUS Eastern Standard Time", "Morocco Standard Time"}) {
      ZoneId zone = WindowsZones.zone(win).orElseThrow();
      assertEquals(Optional.of(win), WindowsZones.windowsName(zone), win);
    }
  }
}
