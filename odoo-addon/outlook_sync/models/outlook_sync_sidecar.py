# Copyright 2026 outlook-sync contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Client for the sidecar's local API (docs/api.md).

The signing and HTTP helpers are plain functions so that they can be used
from a post-commit callback, where no environment is at hand; the abstract
model ``outlook_sync.sidecar`` wraps them with the settings stored in
``ir.config_parameter``.
"""

import hashlib
import hmac
import json
import logging
import time

import requests

from odoo import api, models

_logger = logging.getLogger(__name__)

PARAM_PREFIX = "outlook_sync."
DEFAULT_SIDECAR_URL = "http://127.0.0.1:8077"
#: Seconds to wait for the sidecar: it is on the same host and answers at
#: once (long work is queued there), so anything slower means trouble.
TIMEOUT = 5
#: Seconds to wait for a sync or a reset (real or dry run), which the sidecar
#: carries out within the request: a first sync of a large calendar takes a
#: while. Below Odoo's default limit_time_real (120 s) so the worker is not
#: killed first.
RUN_TIMEOUT = 100

TIMESTAMP_HEADER = "X-Outlook-Sync-Timestamp"
SIGNATURE_HEADER = "X-Outlook-Sync-Signature"


class SidecarError(Exception):
    """The sidecar refused a call, or could not be asked.

    ``code`` is the sidecar's error code (docs/api.md, "Errors"), or one of
    ours: ``sidecar_down`` (no connection or no answer in time),
    ``bad_response`` (an answer that is not the sidecar's JSON) and
    ``not_configured`` (no URL or shared secret in Odoo's settings).
    ``message`` is the sidecar's message, which never carries secrets.
    """

    def __init__(self, code, message, status=None, request_id=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.request_id = request_id

    def __str__(self):
        text = f"{self.message} ({self.code}"
        if self.request_id:
            text += f", request {self.request_id}"
        return text + ")"


class SidecarDown(SidecarError):
    """The sidecar could not be reached or did not answer in time."""

    def __init__(self, message):
        super().__init__("sidecar_down", message)


def sign(secret, timestamp, method, path, body):
    """Lower-case hex HMAC-SHA256 of ``timestamp\\nMETHOD\\npath\\nbody``."""
    message = f"{timestamp}\n{method.upper()}\n{path}\n".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def call(base_url, secret, method, path, payload=None, timeout=TIMEOUT):
    """Sign and send one request; return the parsed JSON answer.

    Raises :class:`SidecarDown` when the sidecar cannot be reached and
    :class:`SidecarError` when it answers with an error.
    """
    if not base_url or not secret:
        raise SidecarError(
            "not_configured",
            "The sidecar's URL and shared secret are not set in Odoo's settings.",
        )
    method = method.upper()
    body = b"" if payload is None else json.dumps(payload).encode()
    timestamp = "%.6f" % time.time()
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(secret, timestamp, method, path, body),
    }
    url = base_url.rstrip("/") + path
    try:
        response = requests.request(
            method,
            url,
            data=body if method != "GET" else None,
            headers=headers,
            timeout=timeout,
            allow_redirects=False,
        )
    except requests.exceptions.RequestException as exc:
        # The exception text names the URL only (no headers, no body).
        _logger.warning("outlook_sync: sidecar unreachable at %s: %s", base_url, type(exc).__name__)
        raise SidecarDown(
            f"The outlook-sync sidecar does not answer at {base_url}. Is it running?"
        ) from None
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if 200 <= response.status_code < 300 and isinstance(answer, dict):
        return answer
    error = answer.get("error") if isinstance(answer, dict) else None
    if isinstance(error, dict) and error.get("code"):
        raise SidecarError(
            error["code"],
            error.get("message") or error["code"],
            status=response.status_code,
            request_id=error.get("request_id"),
        )
    raise SidecarError(
        "bad_response",
        f"Unexpected answer from {base_url} (HTTP {response.status_code}); "
        "is that the outlook-sync sidecar?",
        status=response.status_code,
    )


def settings_from_params(get_param):
    """``(base_url, secret)`` from a ``get_param`` callable."""
    url = (get_param(PARAM_PREFIX + "sidecar_url") or DEFAULT_SIDECAR_URL).strip()
    secret = get_param(PARAM_PREFIX + "sidecar_secret") or ""
    return url, secret


class OutlookSyncSidecar(models.AbstractModel):
    _name = "outlook_sync.sidecar"
    _description = "outlook-sync sidecar client"

    @api.model
    def _settings(self):
        return settings_from_params(self.env["ir.config_parameter"].sudo().get_param)

    @api.model
    def _call(self, method, path, payload=None, secret=None, timeout=TIMEOUT):
        """Call the sidecar with the stored URL and secret (or ``secret``)."""
        url, stored_secret = self._settings()
        return call(url, secret or stored_secret, method, path, payload, timeout=timeout)

    @api.model
    def _user_path(self, user_id, action):
        return f"/api/users/{self.env.cr.dbname}/{int(user_id)}/{action}"
