"""A smaller ICU data library for the frozen build: libicudata.so.NN with only the
data mms-desktop can use (installer/mms-desktop.spec calls trim()).

The PySide6 wheel's libicudata.so.73 (~32 MB) is nothing but one ICU common data
package, exported as the symbol ``icudt73_dat``; libicuuc and libicui18n find all
their data there. Qt calls ICU only for collation (QCollator), case mapping,
legacy text encodings (QStringConverter) and time-zone names (QTimeZone), and the
program speaks Polish and English. So the package is rebuilt keeping:

- the root, Polish and English locale data (every locale tree: main, collation,
  break iterators, zone/currency/language/region/unit names) with each tree's
  ``pool.res`` and ``res_index.res``, and the other locales' bundles out (ICU
  falls back from a missing locale to root, as it does for any unknown locale);
- the root collation (ucadata.icu), the break rules (*.brk) and normalization
  (*.nrm), string preparation (*.spp), properties (*.icu, but not the character
  names unames.icu), and all the locale-independent tables (supplementalData,
  likelySubtags, zoneinfo64, metaZones, timezoneTypes, windowsZones, plurals …);
- the converter aliases and the converters for ISO-8859-*, the Windows code pages
  125x and the DOS Latin ones (UTF-8/16/32, US-ASCII and Latin-1 are built into
  libicuuc); not the CJK and EBCDIC tables;
- not the transliterators, the spell-out rules (rbnf), the CJK/Thai/Khmer/Lao/
  Burmese dictionaries for word breaking, nor the confusables table.

The kept items are written as a new common data package (same header, a table of
contents sorted as before, every item 16-byte aligned) and assembled into a
shared library with the same SONAME and symbol by binutils' ``as`` and ``ld``.

    python installer/trim_icu.py PATH/TO/libicudata.so.73 OUT/libicudata.so.73
"""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

LANGUAGES = ("root", "pl", "en")
# Converters (by ICU file name) for the 8-bit encodings a Polish user may meet.
CONVERTERS = re.compile(
    r"(ibm-(912|913|914|915|1089|9005|5012|920|921|923|852|850|437|5346|5347|5348|5349"
    r"|5350|9447|9448|9449|5354)_.*|iso-8859_.*|macos-.*)\.cnv$"
)
# Trees of locale bundles, and the locale-independent items of each worth keeping.
TREES = ("", "brkitr/", "coll/", "zone/", "curr/", "lang/", "region/", "unit/")
DROPPED_TREES = ("translit/", "rbnf/")
DROPPED = {"unames.icu", "confusables.cfu"}
LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]*)*$|^root$")


def _wanted(name: str) -> bool:
    """``name`` is an item's name without the package prefix, e.g. ``coll/pl.res``."""
    if name in DROPPED or name.startswith(DROPPED_TREES) or name.endswith(".dict"):
        return False
    if name.endswith(".cnv"):
        return bool(CONVERTERS.match(name))
    tree, _, leaf = name.rpartition("/")
    stem, _, suffix = leaf.partition(".")
    if suffix != "res" or (tree + "/" if tree else "") not in TREES:
        return True  # rules, normalization, properties, aliases
    if stem in {"pool", "res_index"} or not LOCALE.match(stem):
        return True  # shared keys, indexes, supplemental tables
    language = stem.split("_", 1)[0]
    return language in LANGUAGES


def _elf_symbol(library: bytes) -> tuple[str, int, int]:
    """The name, file offset and size of the ``icudtNN_dat`` symbol in an ELF64 LE library."""
    if library[:6] != b"\x7fELF\x02\x01":
        raise ValueError("not a 64-bit little-endian ELF library")
    (shoff,) = struct.unpack_from("<Q", library, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", library, 0x3A)
    sections = [
        struct.unpack_from("<IIQQQQIIQQ", library, shoff + index * shentsize)
        for index in range(shnum)
    ]
    for _, kind, _, _, offset, size, link, _, _, entsize in sections:
        if kind != 11:  # SHT_DYNSYM
            continue
        strings = sections[link][4]
        for start in range(offset, offset + size, entsize):
            name_at, _, _, shndx, value, symsize = struct.unpack_from("<IBBHQQ", library, start)
            end = library.index(b"\0", strings + name_at)
            name = library[strings + name_at : end].decode()
            if re.fullmatch(r"icudt\d+_dat", name) and symsize:
                _, _, _, address, file_offset, *_ = sections[shndx]
                return name, value - address + file_offset, symsize
    raise ValueError("no icudtNN_dat symbol")


def trim_package(package: bytes) -> tuple[bytes, list[str], list[str]]:
    """The package with only the wanted items; with the kept and dropped names."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", package, 0)
    if (magic1, magic2) != (0xDA, 0x27) or package[12:16] != b"CmnD":
        raise ValueError("not an ICU common data package")
    if package[8] != 0:
        raise ValueError("a big-endian ICU package")
    toc = memoryview(package)[header_size:]
    (count,) = struct.unpack_from("<I", toc, 0)
    entries = []
    for index in range(count):
        name_at, data_at = struct.unpack_from("<II", toc, 4 + 8 * index)
        name = bytes(toc[name_at : package.index(b"\0", header_size + name_at) - header_size])
        entries.append((name.decode(), data_at))
    items = []
    for index, (name, data_at) in enumerate(entries):
        end = entries[index + 1][1] if index + 1 < count else len(toc)
        items.append((name, bytes(toc[data_at:end])))
    kept = [(name, data) for name, data in items if _wanted(name.split("/", 1)[1])]
    dropped = [name for name, _ in items if not _wanted(name.split("/", 1)[1])]

    names = b"".join(name.encode() + b"\0" for name, _ in kept)
    table_size = 4 + 8 * len(kept)
    offset = table_size + len(names)
    name_offsets, data_offsets, position = [], [], table_size
    for name, _ in kept:
        name_offsets.append(position)
        position += len(name.encode()) + 1
    body = bytearray()
    for _, data in kept:
        padding = -(header_size + offset) % 16
        body += b"\0" * padding
        offset += padding
        data_offsets.append(offset)
        body += data
        offset += len(data)
    table = struct.pack("<I", len(kept)) + b"".join(
        struct.pack("<II", n, d) for n, d in zip(name_offsets, data_offsets, strict=True)
    )
    result = package[:header_size] + table + names + bytes(body)
    return result, [name for name, _ in kept], dropped


def trim(source: str | Path, target: str | Path) -> tuple[int, int]:
    """Write the trimmed library to ``target``; the package sizes before and after."""
    library = Path(source).read_bytes()
    symbol, start, size = _elf_symbol(library)
    trimmed, _, _ = trim_package(library[start : start + size])
    soname = Path(source).name
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "icudata.dat"
        data.write_bytes(trimmed)
        assembly = Path(folder) / "icudata.s"
        assembly.write_text(
            "\t.section .rodata\n"
            f"\t.globl {symbol}\n"
            f"\t.type {symbol}, @object\n"
            "\t.balign 16\n"
            f"{symbol}:\n"
            f'\t.incbin "{data}"\n'
            f"\t.size {symbol}, . - {symbol}\n"
            '\t.section .note.GNU-stack,"",@progbits\n'
        )
        obj = Path(folder) / "icudata.o"
        subprocess.run(["as", "--64", "-o", str(obj), str(assembly)], check=True)
        subprocess.run(
            ["ld", "-shared", "-soname", soname, "-z", "noexecstack", "-o", str(target), str(obj)],
            check=True,
        )
    return size, len(trimmed)


if __name__ == "__main__":
    before, after = trim(sys.argv[1], sys.argv[2])
    print(f"ICU data: {before / 1e6:.1f} MB -> {after / 1e6:.1f} MB")
