"""argparse's own words ("usage:", "error:", the help option…) from the message catalog.

argparse looks its texts up through gettext's ``_`` and ``ngettext`` each time it
prints; pointing those at the catalog makes ``mms-desktop --help`` and a mistyped
command Polish (or English) like the rest. Texts argparse says only to a
programmer (a badly built parser) stay as they are.
"""

from __future__ import annotations

import argparse

from mms_desktop import i18n

_KEYS = {
    "usage: ": "argparse.usage",
    "positional arguments": "argparse.positional",
    "options": "argparse.options",
    "show this help message and exit": "argparse.help",
    "show program's version number and exit": "argparse.version",
    "%(prog)s: error: %(message)s\n": "argparse.error",
    "the following arguments are required: %s": "argparse.required",
    "unrecognized arguments: %s": "argparse.unrecognized",
    "invalid choice: %(value)r (choose from %(choices)s)": "argparse.invalid_choice",
    "expected one argument": "argparse.expected_one",
    "expected at most one argument": "argparse.expected_at_most_one",
    "expected at least one argument": "argparse.expected_at_least_one",
    "invalid %(type)s value: %(value)r": "argparse.invalid_value",
    "argument %(argument_name)s: %(message)s": "argparse.argument",
    "ambiguous option: %(option)s could match %(matches)s": "argparse.ambiguous",
    "not allowed with argument %s": "argparse.not_allowed_with",
    "ignored explicit argument %r": "argparse.ignored_explicit",
    "one of the arguments %s is required": "argparse.one_required",
    "can't open '%(filename)s': %(error)s": "argparse.cannot_open",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "argparse.unknown_parser",
}


def words(text: str) -> str:
    key = _KEYS.get(text)
    return i18n.tr(key) if key is not None else text


def plural_words(singular: str, plural: str, count: int) -> str:
    if singular == "expected %s argument":
        return i18n.tr("argparse.expected_count")
    return singular if count == 1 else plural


def use_catalog() -> None:
    """From now on argparse speaks the current language of the catalog."""
    setattr(argparse, "_", words)  # noqa: B010 - argparse's module-level gettext hook
    setattr(argparse, "ngettext", plural_words)  # noqa: B010
