/** @odoo-module **/
// Copyright 2026 outlook-sync contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import { _t } from "@web/core/l10n/translation";
import { Dialog } from "@web/core/dialog/dialog";
import { useService } from "@web/core/utils/hooks";
import { outlookSyncUserId } from "./current_user";
import { Component, onWillStart, useState } from "@odoo/owl";

// After sign-in the sidecar waits for the user to confirm the first sync.
// This dialog shows its dry run (the e-mails Outlook would send, the events
// each way), lets the user change the two options that decide who gets
// mailed (stored in the sidecar, then previewed again) and runs the real sync
// on Confirm.
export class OutlookFirstSyncDialog extends Component {
    static template = "outlook_sync.FirstSyncDialog";
    static components = { Dialog };
    static props = { close: Function };

    setup() {
        this.orm = useService("orm");
        this.state = useState({ loading: true, options: {}, preview: null, result: null, error: null });
        onWillStart(() => this.preview("outlook_sync_first_sync_preview"));
    }

    get title() {
        return _t("Review your first Outlook synchronization");
    }

    async ask(method, args = []) {
        this.state.loading = true;
        this.state.error = null;
        try {
            return await this.orm.call("res.users", method, [[outlookSyncUserId()], ...args]);
        } catch (error) {
            this.state.error = (error.data && error.data.message) || error.message || String(error);
            return null;
        } finally {
            this.state.loading = false;
        }
    }

    async preview(method, args) {
        const answer = await this.ask(method, args);
        if (answer) {
            Object.assign(this.state, { options: answer.options, preview: answer.preview });
        }
    }

    onToggle(name, checked) {
        const options = { ...this.state.options, [name]: checked };
        return this.preview("outlook_sync_set_options", [options.quiet, options.only_future]);
    }

    async onConfirm() {
        const result = await this.ask("outlook_sync_confirm_first_sync");
        if (result) {
            this.state.result = result;
        }
    }
}
