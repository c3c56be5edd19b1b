package io.outlooksync.sidecar.core;

import java.util.Locale;

/** Someone on a calendar: a display name and an e-mail address (absent for some Odoo partners). */
public record Person(String name, String email) {
  public Person {
    email = email == null || email.isBlank() ? null : email.trim();
  }

  /** The address as compared: case does not matter in e-mail addresses' domains, nor in practice elsewhere. */
  public String key() {
    return email == null ? null : email.toLowerCase(Locale.ROOT);
  }

  public boolean hasEmail() {
    return email != null;
  }
}
