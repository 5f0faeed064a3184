"""Which characters the printout can draw, and a finding for text it cannot.

The PDFs set every text a user typed in DejaVu Sans, regular or bold
(``resources/fonts``). A character neither face has (most emoji, Chinese, rare
symbols) would print as an empty box, so the check names it before anything is
printed: the field, the character and its code, as a warning that does not
block sending (the electronic document keeps the character whole).

``DRAWN`` lists the code points both faces map to a glyph. It is the fonts'
own table copied here because the domain reads no files; tests/test_printable.py
reads the font files and fails if the two ever differ (a font swapped or
upgraded without this list).
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing

from mms_desktop.domain.findings import Finding, Severity

CODE = "TEXT_NOT_PRINTABLE"

# Hex code points and ranges drawn by both DejaVuSans.ttf and DejaVuSans-Bold.ttf.
DRAWN = (
    "0020-007E 00A0-02E9 02EC-02EE 02F3 02F7 0300-034F 0351-0353 0357-0358 035A 035C-0362 "
    "0370-0377 037A-037F 0384-038A 038C 038E-03A1 03A3-0525 0531-0556 0559-055F 0561-0587 "
    "0589-058A 05B0-05C3 05C6-05C7 05D0-05EA 05F0-05F4 0606-0607 0609-060A 060C 0615 061B "
    "061F 0621-063A 0640-0655 0657 065A 0660-0670 0674 0679-06BF 06C6-06C8 06CB-06CC 06CE "
    "06D0 06D5 06F0-06F9 07C0-07E7 07EB-07F5 07F8-07FA 0E3F 0E81-0E82 0E84 0E87-0E88 0E8A "
    "0E8D 0E94-0E97 0E99-0E9F 0EA1-0EA3 0EA5 0EA7 0EAA-0EAB 0EAD-0EB9 0EBB-0EBD 0EC0-0EC4 "
    "0EC6 0EC8-0ECD 0ED0-0ED9 0EDC-0EDD 10A0-10C5 10D0-10FC 1401-1407 1409-141B 141D-1435 "
    "1437-144A 144C-1452 1454-14BD 14C0-14EA 14EC-1507 1510-153E 1540-1550 1552-156A "
    "1574-1585 158A-1596 15A0-15AF 15DE 15E1 1646-1647 166E-1676 1680-169C 1D00-1D14 "
    "1D16-1D23 1D26-1D2E 1D30-1D5B 1D5D-1D6A 1D77-1D78 1D7B 1D7D 1D85 1D9B-1DBF 1DC4-1DC9 "
    "1E00-1EFB 1F00-1F15 1F18-1F1D 1F20-1F45 1F48-1F4D 1F50-1F57 1F59 1F5B 1F5D 1F5F-1F7D "
    "1F80-1FB4 1FB6-1FC4 1FC6-1FD3 1FD6-1FDB 1FDD-1FEF 1FF2-1FF4 1FF6-1FFE 2000-2064 "
    "206A-2071 2074-208E 2090-209C 20A0-20B5 20B8-20BA 20BD 20D0-20D1 20D6-20D7 20DB-20DC "
    "20E1 2100-2109 210B-2149 214B 214E 2150-2185 2189 2190-2311 2318-2319 231C-2321 "
    "2324-2328 232B-232C 2373-2375 237A 237D 2387 2394 239B-23AE 23CE-23CF 23E3 23E5 23E8 "
    "2422-2423 2460-2469 2500-269C 269E-26B8 26C0-26C3 26E2 2701-2704 2706-2709 270C-2727 "
    "2729-274B 274D 274F-2752 2756 2758-275E 2761-2794 2798-27AF 27B1-27BE 27C5-27C6 27E0 "
    "27E6-27EB 27F0-28FF 2906-2907 290A-290B 2940-2941 2983-2984 29CE-29D5 29EB 29FA-29FB "
    "2A00-2A02 2A0C-2A1C 2A2F 2A6A-2A6B 2A7D-2AA0 2AAE-2ABA 2AF9-2AFA 2B00-2B1A 2B1F-2B24 "
    "2B53-2B54 2C60-2C77 2C79-2C7F 2D00-2D25 2D30-2D65 2D6F 2E18 2E1F 2E22-2E25 2E2E "
    "4DC0-4DFF A4D0-A4FF A644-A647 A64C-A64D A650-A651 A654-A657 A662-A66E A68A-A68D "
    "A694-A695 A698-A699 A708-A716 A71B-A71F A722-A72B A730-A741 A746-A74B A74E-A753 "
    "A756-A757 A764-A767 A780-A783 A789-A78E A790-A791 A7A0-A7AA A7F8-A7FF EF00-EF19 "
    "F400-F426 F428-F441 F6C5 FB00-FB06 FB13-FB17 FB1D-FB36 FB38-FB3C FB3E FB40-FB41 "
    "FB43-FB44 FB46-FB4F FB52-FBA3 FBAA-FBAD FBD3-FBDC FBDE-FBDF FBE4-FBE9 FBFC-FBFF "
    "FE00-FE0F FE20-FE23 FE70-FE74 FE76-FEFC FEFF FFF9-FFFD 10300-1031E 10320-10323 "
    "1D300-1D356 1D538-1D539 1D53B-1D53E 1D540-1D544 1D546 1D54A-1D550 1D552-1D56B "
    "1D7D8-1D7E1 1F030-1F093 1F0A0-1F0AE 1F0B1-1F0BE 1F0C1-1F0CF 1F0D1-1F0DF 1F311-1F318 "
    "1F42D-1F42E 1F431 1F435 1F600-1F623 1F625-1F62B 1F62D-1F640 1F643 "
)


def _parse(table: str) -> list[tuple[int, int]]:
    pairs = []
    for item in table.split():
        first, _, last = item.partition("-")
        pairs.append((int(first, 16), int(last or first, 16)))
    return pairs


def _pattern(pairs: list[tuple[int, int]]) -> re.Pattern[str]:
    # One character class scanned in C: most text is Polish, so it is never ASCII-only.
    # Control characters count as drawn: the PDF drops them from typed text.
    drawn = [(0x00, 0x1F), (0x7F, 0x7F), *pairs]
    return re.compile("[^" + "".join(f"\\U{a:08X}-\\U{z:08X}" for a, z in drawn) + "]")


_UNDRAWN = _pattern(_parse(DRAWN))


def is_drawn(character: str) -> bool:
    return _UNDRAWN.match(character) is None


def undrawn(text: str) -> list[str]:
    """The characters of ``text`` the printout cannot draw, each once, in order."""
    if _UNDRAWN.search(text) is None:  # nearly every field
        return []
    return list(dict.fromkeys(_UNDRAWN.findall(text)))


def describe(characters: list[str]) -> str:
    """``🎉 (U+1F389), 中 (U+4E2D)`` — the code too, for a console that cannot show it."""
    return ", ".join(f"{character} (U+{ord(character):04X})" for character in characters)


# How each field of a record is read: typed text, a list of texts, one record, rows.
_TEXT, _TEXTS, _RECORD, _RECORDS, _ANY = range(5)
_UNKNOWN = object()
_PLANS: dict[type, tuple[tuple[str, int], ...]] = {}


def _plan(kind: type) -> tuple[tuple[str, int], ...]:
    """The fields of a record that can hold typed text, from its type hints (once per class).

    Runs on every validation (each edit in the window), so amounts, dates and
    enums are left out up front instead of being looked at each time.
    """
    plan = _PLANS.get(kind)
    if plan is None:
        try:
            hints = typing.get_type_hints(kind)
        except NameError:  # a hint only a type checker can resolve: look at values instead
            hints = {}
        plan = tuple(
            (field.name, how)
            for field in dataclasses.fields(kind)
            if (how := _how(hints.get(field.name, _UNKNOWN))) is not None
        )
        _PLANS[kind] = plan
    return plan


def _how(hint: object) -> int | None:
    if hint is _UNKNOWN:
        return _ANY
    options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and len(options) == 1:
        hint = options[0]  # X | None reads as X
    if hint is str:
        return _TEXT
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _RECORD
    if typing.get_origin(hint) is tuple:
        item = typing.get_args(hint)[0]
        if item is str:
            return _TEXTS
        if isinstance(item, type) and dataclasses.is_dataclass(item):
            return _RECORDS
        if isinstance(item, type):
            return None  # numbers, dates, enums: no typed text
    if isinstance(hint, type):
        return None  # Decimal, date, int, bool, an enum
    return _ANY  # any other shape (a dict, a union of several kinds): read by value


def _scan(record: object, path: str, found: list[Finding]) -> None:
    for name, how in _plan(type(record)):
        value = getattr(record, name)
        if how == _TEXT:
            if value and not value.isascii():
                _check(value, f"{path}.{name}", found)
        elif how in (_RECORDS, _TEXTS):
            for number, item in enumerate(value, start=1):
                if how == _RECORDS:
                    _scan(item, f"{path}.{name}[{number}]", found)
                elif not item.isascii():
                    _check(item, f"{path}.{name}[{number}]", found)
        elif how == _ANY:
            _scan_value(value, f"{path}.{name}", found)
        elif value is not None:
            _scan(value, f"{path}.{name}", found)


def _scan_value(value: object, path: str, found: list[Finding]) -> None:
    """A field whose type is not known up front: read by what it holds."""
    if isinstance(value, str):
        if not value.isascii():
            _check(value, path, found)
    elif isinstance(value, tuple | list):
        for number, item in enumerate(value, start=1):
            _scan_value(item, f"{path}[{number}]", found)
    elif isinstance(value, dict):
        for key, item in value.items():
            _scan_value(item, f"{path}.{key}", found)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        _scan(value, path, found)


def _check(text: str, path: str, found: list[Finding]) -> None:
    characters = undrawn(text)
    if characters:
        found.append(Finding(CODE, Severity.WARNING, path, {"characters": describe(characters)}))


def unprintable(record: object, prefix: str) -> list[Finding]:
    """A warning for each text field of ``record`` holding characters the printout lacks."""
    found: list[Finding] = []
    _scan(record, prefix, found)
    return found
