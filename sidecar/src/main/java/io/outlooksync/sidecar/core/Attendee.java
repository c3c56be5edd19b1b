package io.outlooksync.sidecar.core;

/** One attendee of an event and their answer. */
public record Attendee(Person person, boolean optional, Response response) {}
