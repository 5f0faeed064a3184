"""Reading a PDF back as a person would: its text (poppler) and its QR code (zbar)."""

from __future__ import annotations

import subprocess
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
