"""Reading a PDF back as a person would: its text (poppler), its QR code (zbar), and
the lines a page draws (read from the file itself: no PDF library needed)."""

from __future__ import annotations

import re
import subprocess
import zlib
from dataclasses import dataclass
from html import unescape
from pathlib import Path

from tests.wine import stop_under_wine


def pdf_text(path: Path, *options: str) -> str:
    stop_under_wine("poppler's pdftotext")
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *options, str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def pdf_pages(path: Path) -> list[str]:
    """The text of each page (pdftotext ends every page with a form feed)."""
    return [page for page in pdf_text(path).split("\f") if page.strip()]


def decode_qr_of_last_page(path: Path, folder: Path) -> str:
    """Render the last page at 150 dpi, as a phone would photograph it, and scan its QR."""
    stop_under_wine("poppler's pdftoppm, zbar's zbarimg")
    pages = len(pdf_pages(path))
    prefix = folder / "ostatnia"
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "150",
            "-png",
            "-f",
            str(pages),
            "-l",
            str(pages),
            str(path),
            str(prefix),
        ],
        check=True,
    )
    (image,) = folder.glob("ostatnia*.png")
    return subprocess.run(
        ["zbarimg", "--raw", "-q", str(image)], check=True, capture_output=True, text=True
    ).stdout.strip()


# --- what a page draws: its lines, read from the file ------------------------------

_TOKEN = re.compile(rb"\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>|\[|\]|/[^\s/\[\]()<>]+|[^\s\[\]()<>/]+")


@dataclass(frozen=True)
class Segment:
    """A stroked straight line on a page, in points from the page's bottom left."""

    x1: float
    y1: float
    x2: float
    y2: float
    width: float


def _object(data: bytes, number: int) -> tuple[bytes, bytes | None]:
    """Object ``number``: its dictionary and its stream's bytes (decompressed), if any."""
    found = re.search(rb"(?:^|[\r\n])%d 0 obj\s*" % number, data)
    assert found is not None, f"no object {number}"
    start = found.end()
    stream = data.find(b"stream", start)
    end = data.find(b"endobj", start)
    if stream < 0 or stream > end:
        return data[start:end], None
    head = data[start:stream]
    length = re.search(rb"/Length\s+(\d+)", head)
    assert length is not None
    body_start = stream + len(b"stream")
    body_start += 2 if data[body_start : body_start + 2] == b"\r\n" else 1
    raw = data[body_start : body_start + int(length.group(1))]
    return head, zlib.decompress(raw) if b"/FlateDecode" in head else raw


def _multiply(a: tuple[float, ...], b: tuple[float, ...]) -> tuple[float, ...]:
    """The matrix product a × b of two PDF matrices [a b c d e f]."""
    return (
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    )


def _stroked_lines(content: bytes) -> list[Segment]:
    """Straight segments stroked by ``S`` (move-to, line-to), through the graphics state."""
    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    ctm, width = identity, 1.0
    stack: list[tuple[tuple[float, ...], float]] = []
    operands: list[float] = []
    path: list[tuple[tuple[float, float], tuple[float, float]]] = []
    current: tuple[float, float] | None = None
    found: list[Segment] = []
    depth = 0  # inside an array (TJ): its numbers are not operands
    for token in _TOKEN.findall(content):
        if token == b"[":
            depth += 1
            continue
        if token == b"]":
            depth -= 1
            continue
        if depth or token[:1] in b"(</":
            continue
        try:
            operands.append(float(token))
            continue
        except ValueError:
            pass
        op = token
        if op == b"q":
            stack.append((ctm, width))
        elif op == b"Q":
            ctm, width = stack.pop()
        elif op == b"cm" and len(operands) >= 6:
            ctm = _multiply(tuple(operands[-6:]), ctm)
        elif op == b"w" and operands:
            width = operands[-1]
        elif op == b"m" and len(operands) >= 2:
            current = (operands[-2], operands[-1])
        elif op == b"l" and len(operands) >= 2 and current is not None:
            end = (operands[-2], operands[-1])
            path.append((current, end))
            current = end
        elif op in (b"S", b"s"):
            a, b, c, d, e, f = ctm
            scale = (abs(a * d - b * c)) ** 0.5
            for (x1, y1), (x2, y2) in path:
                found.append(
                    Segment(
                        a * x1 + c * y1 + e,
                        b * x1 + d * y1 + f,
                        a * x2 + c * y2 + e,
                        b * x2 + d * y2 + f,
                        width * scale,
                    )
                )
            path, current = [], None
        elif op in (b"n", b"f", b"f*", b"B", b"b", b"h"):  # a path ended otherwise
            path, current = [], None
        operands = []
    return found


def page_lines(path: Path) -> list[list[Segment]]:
    """Per page, in order: every straight line the page strokes."""
    data = path.read_bytes()
    root = re.search(rb"/Type\s*/Pages\b.*?/Kids\s*\[([^\]]*)\]", data, re.S)
    if root is None:  # the keys in the other order
        root = re.search(rb"/Kids\s*\[([^\]]*)\][^>]*/Type\s*/Pages\b", data, re.S)
    assert root is not None, "no page tree"
    result = []
    for page in re.findall(rb"(\d+) 0 R", root.group(1)):
        head, _ = _object(data, int(page))
        contents = re.search(rb"/Contents\s+(\d+) 0 R", head)
        assert contents is not None
        _, content = _object(data, int(contents.group(1)))
        assert content is not None, "a page without a content stream"
        result.append(_stroked_lines(content))
    return result


_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)


@dataclass(frozen=True)
class Word:
    text: str
    x_min: float
    y_min: float  # from the page's top, as pdftotext says
    x_max: float
    y_max: float


def page_words(path: Path) -> list[tuple[float, list[Word]]]:
    """Per page: its height and every word with its box (``pdftotext -bbox``)."""
    html = pdf_text(path, "-bbox")
    pages = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S):
        found = [
            Word(unescape(text), float(x1), float(y1), float(x2), float(y2))
            for x1, y1, x2, y2, text in re.findall(_WORD, page.group(3))
        ]
        pages.append((float(page.group(2)), found))
    return pages
