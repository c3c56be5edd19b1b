package io.outlooksync.sidecar.graph;

/** An event Graph sent that the mapper could not read; the round goes on, the engine reports this id. */
public record GraphEventError(String id, String reason) implements DeltaItem {}
