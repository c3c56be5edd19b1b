package io.outlooksync.sidecar.odoo;

import java.util.List;

/**
 * A mapping's result and what could not be mapped faithfully. Notes name fields and ids, never content (they
 * end up in plans and logs). {@code value} is null only when nothing sensible could be made (said in a note).
 */
public record Mapped<T>(T value, List<String> notes) {
  public Mapped {
    notes = List.copyOf(notes);
  }

  public boolean skipped() {
    return value == null;
  }
}
