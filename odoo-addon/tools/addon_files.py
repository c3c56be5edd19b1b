"""What the addon checks share: a check's Result and the walk over the addon's files (stdlib only)."""

import os
from dataclasses import dataclass

SKIP_DIRS = {"__pycache__", "node_modules"}


@dataclass
class Result:
    ok: bool
    what: str
    detail: str = ""

    def line(self):
        text = ("PASS " if self.ok else "FAIL ") + self.what
        return text + (": " + self.detail if self.detail else "")


def files(addon, suffix):
    """The addon's files whose name ends with suffix, in a stable order."""
    found = []
    for root, dirs, names in os.walk(addon):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(names):
            if name.lower().endswith(suffix):
                found.append(os.path.join(root, name))
    return found


def rel(addon, path):
    return os.path.relpath(path, addon)
