# Copyright 2026 outlook-sync contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Sentences for the sidecar's dry runs and results (sync and reset).

Pure functions over the sidecar's JSON answers (docs/api.md), so the first
sync review and the Reset Account wizard word the same numbers the same way.
"""

from .i18n import translate

#: Plan action kinds (docs/api.md, "Sync now") grouped by direction.
TO_OUTLOOK = {"CreateInOutlook": "new", "UpdateOutlook": "updated", "DeleteInOutlook": "deleted",
              "DeclineInOutlook": "declined"}
TO_ODOO = {"CreateInOdoo": "new", "UpdateOdoo": "updated", "ArchiveInOdoo": "archived"}
#: Mail kinds of the forecast, singular and plural.
MAIL_KINDS = (
    ("invitation", "invitation", "invitations"),
    ("update", "update", "updates"),
    ("cancellation", "cancellation", "cancellations"),
    ("response", "reply", "replies"),
)
#: Recipients named in a sentence; the rest are counted.
MAX_NAMED = 20


def _count(value):
    return value if isinstance(value, int) and value > 0 else 0


def mail_sentence(env, mail, future=False):
    """"This will send 3 invitations to 2 people: a, b." or "Nobody is e-mailed." """
    mail = mail if isinstance(mail, dict) else {}
    parts = []
    for key, one, many in MAIL_KINDS:
        number = _count(mail.get(key))
        if number:
            parts.append("%d %s" % (number, one if number == 1 else many))
    recipients = [r for r in mail.get("recipients") or [] if isinstance(r, str)]
    if not parts:
        return translate(env, "Outlook e-mails nobody.")
    named = ", ".join(recipients[:MAX_NAMED])
    if len(recipients) > MAX_NAMED:
        named += translate(env, " and %(count)s more", count=len(recipients) - MAX_NAMED)
    verb = translate(env, "This will send") if future else translate(env, "Outlook sent")
    what = " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)
    if not recipients:
        return "%s %s." % (verb, what)
    people = translate(env, "1 person") if len(recipients) == 1 else translate(env, "%(count)s people", count=len(recipients))
    return "%s %s %s %s: %s." % (verb, what, translate(env, "to"), people, named)


def direction_lines(env, counts):
    """One line per direction: "To Outlook: 3 new, 1 updated", "To Odoo: ...", "Linked: 5"."""
    counts = counts if isinstance(counts, dict) else {}
    lines = []
    for label, kinds in ((translate(env, "To Outlook"), TO_OUTLOOK), (translate(env, "To Odoo"), TO_ODOO)):
        parts = ["%d %s" % (_count(counts.get(kind)), word) for kind, word in kinds.items() if _count(counts.get(kind))]
        lines.append("%s: %s" % (label, ", ".join(parts) if parts else translate(env, "nothing")))
    if _count(counts.get("Adopt")):
        lines.append(translate(env, "Already on both sides, linked: %(count)s", count=counts["Adopt"]))
    if _count(counts.get("Answer")):
        lines.append(translate(env, "Attendees' answers copied: %(count)s", count=counts["Answer"]))
    if _count(counts.get("Conflict")):
        lines.append(translate(env, "Conflicts (Odoo's version kept): %(count)s", count=counts["Conflict"]))
    return lines


def sync_summary(env, answer, future=True):
    """The dict the first-sync review shows for one sync answer (dry run or real)."""
    answer = answer if isinstance(answer, dict) else {}
    return {
        "changes": _count(answer.get("changes")),
        "lines": direction_lines(env, answer.get("counts")),
        "mail": mail_sentence(env, answer.get("mail"), future=future),
        "errors": [str(e) for e in answer.get("errors") or []],
        "succeeded": bool(answer.get("succeeded", True)),
    }
