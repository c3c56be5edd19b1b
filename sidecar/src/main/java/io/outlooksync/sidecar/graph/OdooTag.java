package io.outlooksync.sidecar.graph;

/**
 * The one single-value extended property the sidecar stamps on events it writes: which Odoo database and event
 * an Outlook event belongs to. One named string property (not open extensions) is cheap to read with
 * {@code $expand} and to filter on.
 */
public final class OdooTag {
  /** A fixed GUID of our own, so the property never collides with another app's. */
  public static final String PROPERTY_ID = "String {6f1c3d2a-8b4e-4f5a-9c7d-2e1b0a9f8d36} Name outlookSyncOdooRef";

  /** {@code $expand} value that returns only our property. */
  public static final String EXPAND = "singleValueExtendedProperties($filter=id eq '" + PROPERTY_ID + "')";

  private OdooTag() {}
}
