"""Which PDF library reads Chinese speeches best: correctness and speed on generated PDFs.

    python benchmarks/pdf_extract.py [--pages N]

Makes a speech PDF with reportlab's built-in CID font (STSong-Light, no font file needed): a
running header and a page number on every page, headings, paragraphs wrapped over several lines.
Each candidate that is installed extracts the text; printed: characters of the body recovered
(in order, whitespace aside), whether the CJK text came out right, and milliseconds per page.
Licences: pypdf BSD-3, pdfminer.six MIT, pdfplumber MIT, pypdfium2 Apache-2.0/BSD-3, PyMuPDF AGPL-3.0.
"""

from __future__ import annotations

import argparse
import difflib
import io
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from pdfmaker import make_speech_pdf, speech_paragraphs


def _pypdf(data: bytes) -> list[str]:
    import pypdf

    return [page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def _pdfminer(data: bytes) -> list[str]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer

    return ["\n".join(e.get_text() for e in page if isinstance(e, LTTextContainer)) for page in extract_pages(io.BytesIO(data))]


def _pdfplumber(data: bytes) -> list[str]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def _pypdfium2(data: bytes) -> list[str]:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]


def _pymupdf(data: bytes) -> list[str]:
    import pymupdf

    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return [page.get_text() for page in doc]


CANDIDATES = {"pypdf": _pypdf, "pdfminer.six": _pdfminer, "pdfplumber": _pdfplumber, "pypdfium2": _pypdfium2,
              "pymupdf (AGPL)": _pymupdf}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=60)
    args = parser.parse_args()
    paragraphs = speech_paragraphs(args.paragraphs)
    data = make_speech_pdf("在全市办公室工作会议上的讲话", paragraphs)
    import pypdf

    pages = len(pypdf.PdfReader(io.BytesIO(data)).pages)
    truth = re.sub(r"\s", "", "".join(paragraphs))
    print(f"{pages} pages, {len(truth)} characters of body text")
    print(f"{'library':<16} {'recovered':>9} {'ms/page':>8}")
    for name, extract in CANDIDATES.items():
        try:
            times = []
            for _ in range(3):
                start = time.perf_counter()
                text = "".join(extract(data))
                times.append(time.perf_counter() - start)
        except ImportError:
            print(f"{name:<16} {'not installed':>18}")
            continue
        got = re.sub(r"\s", "", text)
        ratio = difflib.SequenceMatcher(None, truth, got, autojunk=False).ratio() if len(got) < 4 * len(truth) else 0
        print(f"{name:<16} {ratio:>9.3f} {1000 * statistics.median(times) / pages:>8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
