# Copyright 2026 outlook-sync contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Translated messages on Odoo 17, 18 and 19."""

from odoo.tools.translate import code_translations

MODULE = "outlook_sync"


def translate(env, source, **values):
    """``env._(source, **values)`` where the environment has it (18, 19).

    Odoo 17's environment has no ``_`` and its module-level ``_`` guesses the
    language from the caller's frame; this reads the addon's code translations
    for the environment's language instead.
    """
    if hasattr(env, "_"):
        return env._(source, **values)
    lang = env.lang or "en_US"
    text = source
    if lang != "en_US":
        text = code_translations.get_python_translations(MODULE, lang).get(source) or source
    return text % values if values else text
