# Copyright 2026 outlook-sync contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A stand-in for the sidecar at the ``requests`` boundary.

It checks every signature the way docs/api.md describes, keeps the shared
secret (with the bootstrap rule), and answers each path from a table the test
fills in. Tests patch ``requests.request`` with :meth:`FakeSidecar.request`.
"""

import json
from contextlib import contextmanager
from unittest.mock import patch

import requests

from ..models.outlook_sync_sidecar import RUN_TIMEOUT, SIGNATURE_HEADER, TIMESTAMP_HEADER, sign

TARGET = "odoo.addons.outlook_sync.models.outlook_sync_sidecar.requests.request"


class FakeResponse:
    def __init__(self, status, body):
        self.status_code = status
        self._body = body

    def json(self):
        if isinstance(self._body, (dict, list)):
            return self._body
        return json.loads(self._body)


def configure(env, secret, base_url="http://127.0.0.1:8077"):
    """Odoo's settings as an administrator leaves them: enabled, pointing at the (fake) sidecar."""
    icp = env["ir.config_parameter"].sudo()
    icp.set_param("outlook_sync.enabled", "True")
    icp.set_param("outlook_sync.client_id", "client-1")
    icp.set_param("outlook_sync.sidecar_url", base_url)
    icp.set_param("outlook_sync.sidecar_secret", secret)


def internal_user(env, login, **values):
    # Odoo 19 renamed res.users.groups_id to group_ids.
    groups = "group_ids" if "group_ids" in env["res.users"]._fields else "groups_id"
    return env["res.users"].create(
        {"name": login.title(), "login": login, groups: [(6, 0, [env.ref("base.group_user").id])], **values}
    )


def reset_answer(payload, **extra):
    """An answer of POST .../reset for ``payload``: 14 Outlook deletions and 6 cancellations when it deletes there."""
    answer = {
        "run_id": 12, "dry_run": payload["dry_run"], "succeeded": True,
        "outlook_deleted": 14 if payload["delete"] in ("outlook", "both") else 0,
        "odoo_archived": 3 if payload["delete"] in ("odoo", "both") else 0,
        "mail": {"cancellation": 6 if payload["delete"] in ("outlook", "both") else 0,
                 "recipients": ["bob@example.com", "carol@partner.example"]
                 if payload["delete"] in ("outlook", "both") else []},
        "errors": [],
    }
    answer.update(extra)
    return 200, answer


def error(status, code, message="refused"):
    return status, {"error": {"code": code, "message": message, "request_id": "req123"}}


class FakeSidecar:
    def __init__(self, secret=None, base_url="http://127.0.0.1:8077"):
        self.secret = secret
        self.base_url = base_url
        self.calls = []  # (method, path, payload)
        self.answers = {}  # path -> (status, body) or callable(payload)
        self.down = False
        self.stored = {}
        self.timeouts = []  # (path, timeout)

    @contextmanager
    def running(self):
        with patch(TARGET, side_effect=self.request):
            yield self

    def request(self, method, url, data=None, headers=None, timeout=None, **kwargs):
        if self.down:
            raise requests.exceptions.ConnectionError("connection refused")
        assert url.startswith(self.base_url), url
        path = url[len(self.base_url):]
        # Runs (sync, reset) happen within the request; everything else answers at once.
        limit = RUN_TIMEOUT if path.endswith(("/sync", "/reset")) else 5
        assert timeout and timeout <= limit, (path, timeout)
        self.timeouts.append((path, timeout))
        body = data or b""
        payload = json.loads(body) if body else None
        timestamp = headers[TIMESTAMP_HEADER]
        assert "." in timestamp, "timestamps carry microseconds"
        claimed = headers[SIGNATURE_HEADER]
        if self.secret is None:
            if path == "/api/configure" and payload and payload.get("api_shared_secret"):
                if claimed != sign(payload["api_shared_secret"], timestamp, method, path, body):
                    return FakeResponse(*error(401, "bad_signature"))
                self.secret = payload["api_shared_secret"]
            else:
                return FakeResponse(*error(401, "no_shared_secret", "no shared secret yet"))
        elif claimed != sign(self.secret, timestamp, method, path, body):
            return FakeResponse(*error(401, "bad_signature", "signature does not match"))
        self.calls.append((method, path, payload))
        if path == "/api/configure" and payload and "api_shared_secret" in payload:
            self.secret = payload["api_shared_secret"]
        answer = self.answers.get(path)
        if callable(answer):
            answer = answer(payload)
        if answer is None:
            if path == "/api/configure":
                self.stored.update(payload)
                answer = (200, {"stored": sorted(payload), "missing": []})
            elif path in ("/api/pause", "/api/resume"):
                answer = (200, {"paused": path == "/api/pause"})
            elif path == "/api/events/changed":
                answer = (202, {"queued": len(payload["ids"])})
            else:
                answer = error(404, "not_found", "no such endpoint")
        return FakeResponse(*answer)

    def paths(self):
        return [path for _method, path, _payload in self.calls]
