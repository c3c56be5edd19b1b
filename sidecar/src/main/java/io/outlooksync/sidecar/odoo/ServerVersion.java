package io.outlooksync.sidecar.odoo;

/** What Odoo reports as its version, e.g. "18.0" with major 18 (a SaaS "saas~18.4" has major 18, minor 4). */
public record ServerVersion(String serverVersion, int major, int minor) {

  /** The major release in version_info's first item: an int, or "saas~N" on Odoo's SaaS releases; else null. */
  static Integer major(Object first) {
    if (first instanceof Integer major) {
      return major;
    }
    if (first instanceof String text && text.startsWith("saas~")) {
      try {
        return Integer.parseInt(text.substring("saas~".length()));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }
}
