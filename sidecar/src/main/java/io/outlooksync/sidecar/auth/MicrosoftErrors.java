package io.outlooksync.sidecar.auth;

import com.microsoft.aad.msal4j.MsalException;
import com.microsoft.aad.msal4j.MsalServiceException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads msal4j's exceptions down to what may be shown and stored: the OAuth error and the AADSTS code.
 * Descriptions are dropped: they can name the user's address, and the code is what Microsoft's docs index.
 */
final class MicrosoftErrors {
  private static final Pattern AADSTS = Pattern.compile("AADSTS\\d+");

  private MicrosoftErrors() {}

  /** The first AADSTS code in a text, or null. */
  static String aadsts(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = AADSTS.matcher(text);
    return m.find() ? m.group() : null;
  }

  /** {@code invalid_grant AADSTS50173}, or as much of it as Microsoft gave. */
  static String code(String error, String description) {
    String aadsts = aadsts(description);
    String e = error == null || error.isBlank() ? "error" : error.replaceAll("[^A-Za-z0-9_.-]", "");
    return aadsts == null ? e : e + " " + aadsts;
  }

  static String code(MsalException e) {
    return code(e.errorCode(), e.getMessage());
  }

  static boolean isInvalidGrant(MsalException e) {
    return e instanceof MsalServiceException && "invalid_grant".equals(e.errorCode());
  }

  /** Microsoft refused the app itself, not the user: unknown client id or wrong secret. */
  static boolean isAppRejected(MsalException e) {
    return e instanceof MsalServiceException
        && ("invalid_client".equals(e.errorCode()) || "unauthorized_client".equals(e.errorCode()));
  }

  /** Worth trying again later: Microsoft busy or failing, rather than refusing. */
  static boolean isTransient(MsalServiceException e) {
    Integer status = e.statusCode();
    return status == null || status == 429 || status >= 500;
  }
}
