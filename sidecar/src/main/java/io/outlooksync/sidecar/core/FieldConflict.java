package io.outlooksync.sidecar.core;

/** Both sides changed one field differently since the last sync; {@code winner}'s value was kept. */
public record FieldConflict(Field field, Side winner, String reason) {}
