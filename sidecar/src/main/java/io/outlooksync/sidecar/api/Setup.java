package io.outlooksync.sidecar.api;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the API needs from the application's configuration: the effective settings (file, environment and
 * pushed values together) and a place to store what the addon pushes. Implemented in {@code app}.
 */
public interface Setup {
  /** The HMAC secret shared with the addon; empty until configured (then only the bootstrap is accepted). */
  Optional<String> sharedSecret();

  /**
   * The {@code clientState} the subscription {@code subscriptionId} was created with (each has its own); empty for
   * a subscription the sidecar did not make. Notifications carrying another are ignored.
   */
  Optional<String> graphClientState(String subscriptionId);

  /** Config keys a sync still needs ({@code odoo_url}, {@code ms_client_secret}, ...). */
  List<String> missing();

  /**
   * Validates {@code values} (config key to value; empty string removes a pushed value) and stores them in one
   * transaction, or throws {@link ApiException} (400) having stored nothing. {@code bootstrap} is true when the
   * call was signed with the secret it carries because none was configured: it must then still be unset.
   * Returns the keys stored.
   */
  List<String> configure(Map<String, String> values, boolean bootstrap) throws SQLException;
}
