# Copyright 2026 outlook-sync contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Outlook Calendar Sync (outlook-sync)",
    "summary": "Two-way sync of Odoo Calendar with Microsoft Outlook "
    "through the outlook-sync sidecar service",
    # No release prefix: Odoo 17, 18 and 19 each add theirs (19 refuses another
    # release's prefix), so this one manifest serves all three.
    "version": "0.4.0",
    "category": "Productivity/Calendar",
    "author": "outlook-sync contributors",
    "license": "LGPL-3",
    "depends": ["calendar", "base_setup"],
    # Odoo's own Outlook modules register /microsoft_account/authentication,
    # the OAuth redirect route this addon needs. Odoo's installer refuses to
    # put a module in the same database as a module it excludes.
    "excludes": ["microsoft_calendar", "microsoft_account"],
    "data": [
        "security/ir.model.access.csv",
        "data/ir_cron.xml",
        "views/res_config_settings_views.xml",
        "views/res_users_views.xml",
        "wizard/reset_account_views.xml",
        "views/templates.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "outlook_sync/static/src/calendar/current_user.js",
            "outlook_sync/static/src/calendar/first_sync_dialog.js",
            "outlook_sync/static/src/calendar/first_sync_dialog.xml",
            "outlook_sync/static/src/calendar/outlook_sync_button.js",
            "outlook_sync/static/src/calendar/outlook_sync_button.xml",
        ],
    },
    "pre_init_hook": "pre_init_hook",
    "installable": True,
    "application": False,
}
