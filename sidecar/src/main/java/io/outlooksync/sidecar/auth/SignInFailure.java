package io.outlooksync.sidecar.auth;

/** Why a sign-in did not connect an account; the API turns each into a message for the user. */
public enum SignInFailure {
  /** The state is malformed, forged, or was never issued here. */
  BAD_STATE("This sign-in link is not valid. Start again from Odoo."),
  /** The state was issued more than its lifetime ago. */
  EXPIRED_STATE("This sign-in took too long and expired. Start again from Odoo."),
  /** The state was already used: a reload, a back button, or someone replaying it. */
  REPLAYED_STATE("This sign-in was already completed or cancelled. Start again from Odoo."),
  /** The user (or an admin policy) declined the permissions. */
  CONSENT_DENIED("Microsoft says the permissions were declined, so Outlook was not connected."),
  /** The Microsoft account is not allowed by the configured authority (for example a personal account under organizations). */
  WRONG_ACCOUNT("This Microsoft account cannot be used with the configured sign-in authority."),
  /** Microsoft refused the app itself: unknown client id or wrong client secret. An administrator must fix the settings. */
  APP_REJECTED("Microsoft refused the app registration (client id or secret). Ask an administrator to check the settings."),
  /** Microsoft refused the code (expired, already redeemed, PKCE mismatch). */
  CODE_REJECTED("Microsoft refused the sign-in code. Start again from Odoo."),
  /** Any other error Microsoft reported. */
  MICROSOFT_ERROR("Microsoft reported an error during sign-in."),
  /** Microsoft could not be reached; trying again later may work. */
  MICROSOFT_UNREACHABLE("Microsoft could not be reached. Try again in a moment.");

  private final String message;

  SignInFailure(String message) {
    this.message = message;
  }

  /** A message for the user; carries no token, code or state. */
  public String message() {
    return message;
  }
}
