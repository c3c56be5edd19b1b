package io.outlooksync.sidecar.graph;

import com.ibm.icu.util.TimeZone;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;

/**
 * Time-zone names between Odoo (IANA, e.g. Europe/Brussels) and Graph (Windows names, e.g. Romance Standard
 * Time), from CLDR's windowsZones table as ICU4J ships it. Graph accepts every Windows name but only some IANA
 * names, so the sidecar always writes Windows names; it reads both.
 */
public final class WindowsZones {
  /** Windows names by lower-case name, because Graph's replies and hand-typed settings vary in case. */
  private static final java.util.Map<String, String> WINDOWS_BY_LOWER_NAME = windowsNames();

  private WindowsZones() {}

  /** The Windows name Graph should be sent for an IANA zone, or empty for a zone CLDR does not map. */
  public static Optional<String> windowsName(ZoneId zone) {
    if (zone instanceof ZoneOffset offset) {
      return offset.getTotalSeconds() == 0 ? Optional.of("UTC") : Optional.empty();
    }
    String id = zone.getId();
    String win = TimeZone.getWindowsID(id);
    if (win == null) {
      // Newer or linked IANA names (Europe/Kyiv) map through their canonical ICU id (Europe/Kiev).
      String canonical = TimeZone.getCanonicalID(id);
      win = canonical == null ? null : TimeZone.getWindowsID(canonical);
    }
    return Optional.ofNullable(win);
  }

  /**
   * The zone a name from Graph stands for: a Windows name (its CLDR primary zone) or an IANA name. Empty for
   * a name neither knows; the caller reports that event and goes on with the others.
   */
  public static Optional<ZoneId> zone(String name) {
    if (name == null || name.isBlank()) {
      return Optional.empty();
    }
    String n = name.trim();
    if (n.equalsIgnoreCase("UTC") || n.equalsIgnoreCase("Etc/GMT") || n.equalsIgnoreCase("tzone://Microsoft/Utc")) {
      return Optional.of(ZoneOffset.UTC);
    }
    String win = WINDOWS_BY_LOWER_NAME.get(n.toLowerCase(Locale.ROOT));
    String iana = win == null ? null : TimeZone.getIDForWindowsID(win, "001");
    try {
      return Optional.of(ZoneId.of(iana != null ? iana : n));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  private static java.util.Map<String, String> windowsNames() {
    java.util.Map<String, String> out = new java.util.HashMap<>();
    for (String id : TimeZone.getAvailableIDs()) {
      String win = TimeZone.getWindowsID(id);
      if (win != null) {
        out.put(win.toLowerCase(Locale.ROOT), win);
      }
    }
    return java.util.Collections.unmodifiableMap(out);
  }
}
