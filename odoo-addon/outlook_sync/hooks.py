# Copyright 2026 outlook-sync contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Install-time guard against Odoo's built-in Outlook modules.

The manifest's ``excludes`` key already makes Odoo's installer refuse to
install this addon next to ``microsoft_calendar`` or ``microsoft_account``.
The pre-init hook repeats the check so that a database in an odd state
(exclusion rows not refreshed, a module half installed, or an install path
that skips ``button_install``) still gets a clear refusal instead of two
modules fighting over ``/microsoft_account/authentication``.
"""

from odoo.exceptions import UserError

#: Odoo modules this addon cannot live beside.
CONFLICTING_MODULES = ("microsoft_account", "microsoft_calendar")

#: Module states in which a conflicting module's code is (or is about to be)
#: loaded, so its HTTP routes are live. "to remove" counts: the module stays
#: loaded until its removal has run.
LIVE_STATES = frozenset(("installed", "to install", "to upgrade", "to remove"))


def find_conflicts(module_states):
    """Return the sorted names of conflicting modules that are live.

    ``module_states`` maps a module name to its ``ir.module.module`` state,
    e.g. ``{"microsoft_calendar": "installed"}``. Names not listed in
    :data:`CONFLICTING_MODULES` are ignored.
    """
    return sorted(
        name
        for name, state in module_states.items()
        if name in CONFLICTING_MODULES and state in LIVE_STATES
    )


def conflict_message(conflicts):
    """Explain to an administrator why the install is refused."""
    names = ", ".join(conflicts)
    return (
        "Outlook Calendar Sync (outlook-sync) cannot be installed while "
        f"Odoo's own Outlook integration is present ({names}). Both need the "
        "OAuth redirect route /microsoft_account/authentication. Uninstall "
        "microsoft_calendar and microsoft_account (Apps menu), then install "
        "this module again."
    )


def check_no_conflicts(module_states):
    """Raise :class:`UserError` if any conflicting module is live."""
    conflicts = find_conflicts(module_states)
    if conflicts:
        raise UserError(conflict_message(conflicts))


def pre_init_hook(env):
    """Refuse installation beside microsoft_calendar / microsoft_account."""
    rows = (
        env["ir.module.module"]
        .sudo()
        .search_read([("name", "in", list(CONFLICTING_MODULES))], ["name", "state"])
    )
    check_no_conflicts({row["name"]: row["state"] for row in rows})
