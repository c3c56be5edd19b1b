/** @odoo-module **/
// Copyright 2026 outlook-sync contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { _t } from "@web/core/l10n/translation";
import { AttendeeCalendarController } from "@calendar/views/attendee_calendar/attendee_calendar_controller";
import { patch } from "@web/core/utils/patch";
import { useService } from "@web/core/utils/hooks";
import { formatDateTime } from "@web/core/l10n/dates";
import { ConfirmationDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { onWillStart, useState } from "@odoo/owl";
import { OutlookFirstSyncDialog } from "./first_sync_dialog";
import { outlookSyncUserId } from "./current_user";

const { DateTime } = luxon;

// The Outlook button next to the calendar's own sync buttons. Opening the
// calendar only reads the state from the sidecar (through res.users); a
// sync starts only when the user clicks "Sync now".
patch(AttendeeCalendarController.prototype, {
    setup() {
        super.setup(...arguments);
        this.outlookNotification = useService("notification");
        this.outlookAction = useService("action");
        this.outlookDialog = useService("dialog");
        this.outlookSync = useState({ loaded: false, busy: false, status: {} });
        onWillStart(() => this.outlookSyncLoad());
    },

    async outlookSyncLoad() {
        try {
            const status = await this.orm.call("res.users", "outlook_sync_status", [[outlookSyncUserId()]]);
            if (status.last_sync_at) {
                const when = DateTime.fromISO(status.last_sync_at);
                status.last_sync_label = when.isValid ? formatDateTime(when.toLocal()) : status.last_sync_at;
            }
            Object.assign(this.outlookSync, { loaded: true, status });
        } catch {
            Object.assign(this.outlookSync, {
                loaded: true,
                status: { state: "error", message: _t("The Outlook status could not be read.") },
            });
        }
    },

    async outlookSyncRun(method, doneMessage) {
        this.outlookSync.busy = true;
        try {
            const result = await this.orm.call("res.users", method, [[outlookSyncUserId()]]);
            if (result && result.type) {
                await this.outlookAction.doAction(result);
                return;
            }
            if (doneMessage) {
                const message = typeof doneMessage === "function" ? doneMessage(result) : doneMessage;
                this.outlookNotification.add(message, { type: result && result.errors && result.errors.length ? "warning" : "success" });
            }
            await this.outlookSyncLoad();
        } finally {
            this.outlookSync.busy = false;
        }
    },

    onOutlookSyncConnect() {
        return this.outlookSyncRun("outlook_sync_start_signin");
    },
    onOutlookSyncNow() {
        return this.outlookSyncRun("outlook_sync_sync_now", (result) => {
            const parts = [_t("Outlook synchronized: %s changes.", result.changes), result.mail];
            if (result.errors.length) {
                parts.push(_t("Errors: %s", result.errors.join("; ")));
            }
            return parts.join(" ");
        });
    },
    onOutlookSyncReview() {
        this.outlookDialog.add(OutlookFirstSyncDialog, {}, { onClose: () => this.outlookSyncLoad() });
    },
    onOutlookSyncPause() {
        return this.outlookSyncRun("outlook_sync_pause");
    },
    onOutlookSyncResume() {
        return this.outlookSyncRun("outlook_sync_resume");
    },
    onOutlookSyncStop() {
        this.outlookDialog.add(ConfirmationDialog, {
            title: _t("Stop Outlook synchronization"),
            body: _t("Your calendar stops synchronizing with Outlook until you connect again. Events already synchronized stay on both sides."),
            confirmLabel: _t("Stop"),
            confirm: () => this.outlookSyncRun("outlook_sync_stop"),
            cancel: () => {},
        });
    },
});
