"""Helpers for the admin tests: a temporary corpus and index, a curator, files made from the
corpus's reports (.docx with python-docx, .pdf with reportlab), and the corpus/index agreement
read straight from the folder and the Whoosh index (not through the admin code)."""

from __future__ import annotations

import atexit
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from tests.conftest import CORPUS, ROOT

PASSWORD = "curator-secret-1"
CSRF = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


_TEMPLATES: dict[tuple[str, ...], Path] = {}  # one built site per corpus selection, copied per test


def make_site(tmp: Path, leave_out: tuple[str, ...] = ()) -> dict[str, Path]:
    """A copy of corpus/ (without `leave_out`), its index, an admin folder with curator `wang`."""
    if leave_out not in _TEMPLATES:
        folder = Path(tempfile.mkdtemp(prefix="admin-site-"))
        atexit.register(shutil.rmtree, folder, True)
        _TEMPLATES[leave_out] = _built(folder, leave_out)
    shutil.copytree(_TEMPLATES[leave_out], tmp, symlinks=True, dirs_exist_ok=True)
    return {"corpus": tmp / "corpus", "index": tmp / "index", "admin": tmp / "admin"}


def _built(folder: Path, leave_out: tuple[str, ...]) -> Path:
    from indexer.build import build

    corpus = folder / "corpus"
    corpus.mkdir()
    for path in CORPUS.iterdir():
        if path.name not in leave_out and path.is_file():
            shutil.copy2(path, corpus / path.name)
    build(corpus, folder / "index")
    add_user(folder / "admin", "wang")
    return folder


def add_user(admin: Path, name: str, password: str = PASSWORD) -> subprocess.CompletedProcess:
    """The documented command, the password on standard input through a pipe."""
    return subprocess.run(
        [sys.executable, "-m", "portal", "admin", "add-user", name], input=password + "\n",
        cwd=ROOT, env={**os.environ, "FAZHI_ADMIN_DIR": str(admin)},
        capture_output=True, text=True, check=True,
    )  # fmt: skip


def app_config(places: dict[str, Path], **more) -> dict:
    return {"INDEX": str(places["index"]), "CORPUS": str(places["corpus"]),
            "ADMIN_DIR": str(places["admin"]), "SECRET_KEY": "admin-tests", "WARM": False,
            "TESTING": True, **more}  # fmt: skip


def token(html: str) -> str:
    match = CSRF.search(html)
    assert match, "page has no CSRF token"
    return match.group(1) or match.group(2)


def login(client, name: str = "wang", password: str = PASSWORD):
    page = client.get("/admin/login")
    return client.post("/admin/login", data={"csrf_token": token(page.text), "name": name,
                                             "password": password})  # fmt: skip


def corpus_state(corpus: Path) -> dict[str, bytes]:
    """Every file in the corpus folder, hidden ones included, with its bytes."""
    return {
        p.relative_to(corpus).as_posix(): p.read_bytes()
        for p in sorted(corpus.rglob("*"))
        if p.is_file()
    }


def report_files(corpus: Path) -> set[str]:
    """The report files: what is not a sidecar, a note or hidden (written here, by hand)."""
    return {p.name for p in corpus.iterdir()
            if p.is_file() and not p.name.startswith(".") and not p.name.endswith((".meta.toml", ".md"))}  # fmt: skip


def indexed_sources(index_root: Path) -> dict[str, str]:
    """source → kind of every live document of the current generation, read with Whoosh."""
    from whoosh import index

    folder = index_root / os.readlink(index_root / "current")
    with index.open_dir(str(folder)).reader() as reader:
        return {fields["source"]: fields["kind"] for _, fields in reader.iter_docs()}


def generation(index_root: Path) -> str:
    return os.readlink(index_root / "current")


def text_of(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


def docx_bytes(lines: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_bytes(lines: list[str]) -> bytes:
    """A PDF with a text layer (reportlab's built-in Chinese CID font, nothing downloaded)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("body", fontName="STSong-Light", fontSize=11, leading=16, wordWrap="CJK")
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build(
        [Paragraph(escape(line) or "&nbsp;", style) for line in lines]
    )
    return out.getvalue()


def pdf_without_text() -> bytes:
    """A scanned-looking PDF: shapes only, no text layer."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.rect(100, 100, 300, 500, fill=1)
    page.showPage()
    page.save()
    return out.getvalue()


def rezipped(data: bytes, replace: dict[str, bytes]) -> bytes:
    """A docx with some parts replaced."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
    return out.getvalue()
