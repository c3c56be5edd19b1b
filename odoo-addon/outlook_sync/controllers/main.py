# Copyright 2026 outlook-sync contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The OAuth redirect route: Microsoft -> Odoo -> sidecar."""

import logging

from odoo import http
from odoo.http import request

from ..models.outlook_sync_sidecar import SidecarError

_logger = logging.getLogger(__name__)

#: Odoo 18's URL of the Calendar app.
CALENDAR_URL = "/odoo/calendar"
#: The same through the legacy web client URL, which every 17/18 web client
#: (and forks that renamed /odoo) still routes and rewrites.
LEGACY_CALENDAR_URL = "/web#action=calendar.action_calendar_event"


def calendar_url():
    """``/odoo/calendar`` where the web client answers at ``/odoo``."""
    routes = {rule.rule for rule in request.env["ir.http"].routing_map().iter_rules()}
    return CALENDAR_URL if "/odoo/<path:subpath>" in routes else LEGACY_CALENDAR_URL

#: (title, text) shown for each sidecar error code of /api/signin/complete,
#: plus our own codes. Unknown codes get the "other" entry.
MESSAGES = {
    "consent_denied": (
        "Permission declined",
        "Outlook was not connected because the requested permissions were "
        "declined at Microsoft. Start again from the Calendar app and accept "
        "them, or ask your administrator if your organization must approve "
        "the app first.",
    ),
    "bad_state": (
        "Invalid sign-in link",
        "This sign-in answer does not belong to a sign-in started from Odoo. "
        "Start again from the Outlook button in the Calendar app.",
    ),
    "expired_state": (
        "Sign-in took too long",
        "The sign-in was not finished within 10 minutes. Start again from the "
        "Outlook button in the Calendar app.",
    ),
    "replayed_state": (
        "Sign-in already used",
        "This sign-in has already been completed or refused (a reload or the "
        "back button sends it twice). Check the Outlook button in the Calendar "
        "app; start again if it is not connected.",
    ),
    "wrong_account": (
        "Account not allowed",
        "This Microsoft account does not belong to the organization Odoo is "
        "configured for. Sign in with your work account.",
    ),
    "code_rejected": (
        "Microsoft refused the sign-in",
        "Microsoft did not accept the sign-in code (it may have expired). "
        "Start again from the Calendar app.",
    ),
    "app_rejected": (
        "Outlook integration misconfigured",
        "Microsoft refused Odoo's app registration (client ID or secret). An "
        "administrator must fix it in Settings > Integrations > Outlook Calendar.",
    ),
    "not_configured": (
        "Outlook integration not configured",
        "An administrator must configure Outlook in Settings > Integrations "
        "before you can connect.",
    ),
    "microsoft_unreachable": (
        "Microsoft unreachable",
        "Microsoft could not be reached. Try again in a few minutes.",
    ),
    "login_required": (
        "Log in to Odoo first",
        "Outlook can only be connected from your Odoo session. Log in to Odoo, "
        "then start again from the Outlook button in the Calendar app.",
    ),
    "wrong_user": (
        "Sign-in started by someone else",
        "This sign-in was started by another Odoo user, so it was cancelled. "
        "To connect your own Outlook calendar, use the Outlook button in your "
        "Calendar app.",
    ),
    "sidecar_down": (
        "Sync service unavailable",
        "The outlook-sync service does not answer, so the sign-in could not be "
        "completed. Try again later or tell your administrator.",
    ),
    "other": (
        "Outlook could not be connected",
        "The sign-in failed. Try again from the Calendar app; if it keeps "
        "failing, give your administrator the reference below.",
    ),
}


#: Marks the second, same-site POST of the redirect (see below).
SAME_SITE_MARK = "outlook_sync_same_site"
FORWARDED = ("code", "state", "error", "error_description")


class OutlookSyncController(http.Controller):
    # Microsoft answers with response_mode=form_post: the browser POSTs code
    # and state from login.microsoftonline.com. Odoo's CSRF token cannot be in
    # that form, hence csrf=False, and that cross-site POST carries no
    # (SameSite=Lax by default) session cookie, hence auth="public". This is
    # safe because the route only forwards to the sidecar, which accepts a
    # state only if its HMAC is valid, it is unexpired and unused (single
    # use), and then connects the Odoo user the state was issued for.
    #
    # One more check closes "account linking" by a third party (someone
    # sends their own sign-in link to a victim, whose Microsoft account would
    # then be linked to the sender's Odoo user): the first, cross-site POST
    # only answers a page that re-posts the same fields to this route from
    # Odoo's own origin, so the second POST carries the session. Without a
    # logged-in user nothing is forwarded; when the sidecar connected a
    # different user than the one logged in, that account is stopped at once.
    @http.route(
        "/microsoft_account/authentication",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        csrf=False,
        sitemap=False,
    )
    def outlook_sync_authentication(self, code=None, state=None, error=None, error_description=None, **kwargs):
        if not state or not (code or error):
            return self._page("bad_state")
        fields = {"code": code, "state": state, "error": error, "error_description": error_description}
        if request.httprequest.method == "POST" and not kwargs.get(SAME_SITE_MARK):
            return request.render(
                "outlook_sync.signin_repost",
                {"fields": [(name, value) for name, value in fields.items() if value], "mark": SAME_SITE_MARK},
            )
        uid = request.session.uid
        if not uid:
            return self._page("login_required")
        if error:
            payload = {"state": state, "error": error, "error_description": error_description or ""}
        else:
            payload = {"code": code, "state": state}
        sidecar = request.env["outlook_sync.sidecar"].sudo()
        try:
            answer = sidecar._call("POST", "/api/signin/complete", payload)
        except SidecarError as exc:
            _logger.info(
                "outlook_sync: sign-in refused by the sidecar: %s (request %s)", exc.code, exc.request_id
            )
            return self._page(exc.code, exc.request_id)
        if answer.get("db") != request.env.cr.dbname or answer.get("user_id") != uid:
            _logger.warning(
                "outlook_sync: sign-in for user %s of %s completed in the session of user %s; stopping it",
                answer.get("user_id"), answer.get("db"), uid,
            )
            try:
                sidecar._call(
                    "POST",
                    "/api/users/%s/%s/stop" % (answer.get("db"), int(answer.get("user_id") or 0)),
                    {"reason": "sign-in completed by another Odoo user's browser"},
                )
            except SidecarError:
                _logger.exception("outlook_sync: could not stop the account connected by another user")
            return self._page("wrong_user")
        return request.redirect(calendar_url(), code=303, local=True)

    def _page(self, code, request_id=None):
        title, text = MESSAGES.get(code) or MESSAGES["other"]
        status = 503 if code in ("sidecar_down", "microsoft_unreachable") else 400
        return request.render(
            "outlook_sync.signin_result",
            {
                "title": title,
                "text": text,
                "error_code": code,
                "request_id": request_id,
                "calendar_url": calendar_url(),
            },
            status=status,
        )
