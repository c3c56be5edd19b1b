/**
 * The outlook-sync sidecar: the service that synchronizes Odoo calendars with Outlook. Its packages
 * ({@code core}, {@code graph}, {@code odoo}, {@code auth}, {@code store}, {@code sync}, {@code api}, {@code app})
 * are described in docs/architecture.md.
 */
package io.outlooksync.sidecar;
