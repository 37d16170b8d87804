"""PDF pages as PNG images in the test's artefacts, to look at them (poppler's pdftoppm)."""

import shutil
import subprocess
from pathlib import Path

import pytest


def save_pages_as_images(pdf: bytes, folder: Path, name: str) -> list[Path]:
    """Write `pdf` to `folder/name.pdf` and each page beside it as page-N.png; print where."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.fail("pdftoppm is required: apt-get install poppler-utils")
    (folder / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(
        [pdftoppm, "-png", "-r", "60", str(folder / f"{name}.pdf"), str(folder / "page")],
        check=True,
        timeout=120,
    )
    print(f"\n{name} pages: {folder}")  # where to look at the pages
    return sorted(folder.glob("page-*.png"))
