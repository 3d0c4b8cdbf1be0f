"""Tests for indexer.formats.extract_text; fixtures are generated from a real report."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from indexer.errors import ParseError
from indexer.formats import extract_text

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
REPORT = CORPUS / "cq-nanan-guangyang-2023.txt"
CJK_RE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def report() -> str:
    return REPORT.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def lines(report: str) -> list[str]:
    """The report's non-blank lines."""
    return [line for line in report.split("\n") if line.strip()]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def assert_lines_in_order(text: str, expected: list[str]) -> None:
    """Every expected line is a whole output line, in the same order."""
    remaining = iter(text.split("\n"))
    for line in expected:
        assert any(out == line for out in remaining), f"missing (or out of order): {line!r}"


def assert_in_order(haystack: str, needles: list[str]) -> None:
    position = 0
    for needle in needles:
        found = haystack.find(needle, position)
        assert found >= 0, f"missing (or out of order): {needle!r}"
        position = found + len(needle)


# ---------------------------------------------------------------------------
# txt


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("utf8.txt", lambda text: text.encode("utf-8")),
        ("utf8-bom.txt", lambda text: text.encode("utf-8-sig")),
        ("utf16le-bom.txt", lambda text: b"\xff\xfe" + text.encode("utf-16-le")),
        ("utf16be-bom.txt", lambda text: b"\xfe\xff" + text.encode("utf-16-be")),
        ("utf16le.txt", lambda text: text.encode("utf-16-le")),
        ("utf16be.txt", lambda text: text.encode("utf-16-be")),
        ("gb18030.txt", lambda text: text.encode("gb18030")),
        ("gbk.txt", lambda text: text.encode("gbk")),
        ("crlf.txt", lambda text: text.replace("\n", "\r\n").encode("utf-8")),
        ("cr.txt", lambda text: text.replace("\n", "\r").encode("utf-8")),
        ("gbk-crlf.text", lambda text: text.replace("\n", "\r\n").encode("gbk")),
    ],
)
def test_txt_round_trip(tmp_path: Path, report: str, name: str, encode) -> None:
    path = tmp_path / name
    path.write_bytes(encode(report))
    text, fmt = extract_text(path)
    assert fmt == "txt"
    assert text == report


def test_txt_removes_nul_and_puts_form_feed_on_its_own_line(tmp_path: Path, report: str) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(("\x00第一页\x00\f第二页\r\n" + report).encode())
    assert extract_text(path) == ("第一页\n\f\n第二页\n" + report, "txt")


def test_unknown_extension_sniffs_text(tmp_path: Path, report: str) -> None:
    path = tmp_path / "report.dat"
    path.write_bytes(report.encode("gbk"))
    assert extract_text(path) == (report, "txt")


# ---------------------------------------------------------------------------
# docx


def test_docx_paragraphs_and_table_in_order(tmp_path: Path, lines: list[str]) -> None:
    import docx

    document = docx.Document()
    middle = len(lines) // 2
    for line in lines[:middle]:
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "序号"
    table.cell(0, 1).text = "事项"
    table.cell(1, 0).text = "1"
    table.cell(1, 1).text = lines[middle]
    for line in lines[middle + 1 :]:
        document.add_paragraph(line)
    path = tmp_path / "report.docx"
    document.save(path)

    text, fmt = extract_text(path)
    assert fmt == "docx"
    assert_lines_in_order(text, lines)
    assert "序号\n事项\n1\n" + lines[middle] + "\n" in text


# ---------------------------------------------------------------------------
# pdf


def write_pdf(path: Path, lines: list[str], width: int = 35) -> None:
    """Hard-wrap the lines at `width` characters, with a page number at each page bottom."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path), pagesize=A4)
    wrapped = [line[i : i + width] for line in lines for i in range(0, len(line), width)]
    per_page = 36
    for page, start in enumerate(range(0, len(wrapped), per_page), start=1):
        pdf.setFont("STSong-Light", 12)
        for row, text in enumerate(wrapped[start : start + per_page]):
            pdf.drawString(72, 770 - row * 19, text)
        pdf.drawCentredString(A4[0] / 2, 40, f"— {page} —")
        pdf.showPage()
    pdf.save()


def test_pdf_cjk_text_over_several_pages(tmp_path: Path, lines: list[str]) -> None:
    path = tmp_path / "report.pdf"
    write_pdf(path, lines)
    text, fmt = extract_text(path)
    assert fmt == "pdf"
    assert "\f" in text
    assert "\n\f\n" in text
    body = re.sub(r"—\d+—", "", squash(text))
    assert "—2—" in squash(text)
    assert_in_order(body, [squash(line) for line in lines])
    assert "".join(squash(line) for line in lines) in body


def test_pdf_sniffed_without_extension(tmp_path: Path, lines: list[str]) -> None:
    path = tmp_path / "download"
    write_pdf(path, lines[:5])
    assert extract_text(path)[1] == "pdf"


# ---------------------------------------------------------------------------
# html

BOILERPLATE = [
    "首页",
    "机构设置",
    "网上办事",
    "当前位置",
    "浏览次数",
    "123",
    "分享到",
    "QQ空间",
    "微博",
    "版权所有",
    "渝ICP备",
    "公网安备",
    "打印",
    "关闭",
    "字号",
    "发布时间",
    "2024-01-15",
    "来源：",
    "上一篇",
    "下一篇",
    "扫一扫",
    "_hmt",
    "function",
    "搜索",
    "信息公开目录",
    "热点新闻",
]


def government_page(lines: list[str], *, title_in_body: bool = True) -> str:
    body_lines = lines if title_in_body else lines[2:]
    paragraphs = "\n".join(f'<p style="text-indent:2em">{line}</p>' for line in body_lines)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="gbk">
<title>{lines[0]}{lines[1]}_重庆市南岸区人民政府</title>
<script>var _hmt = _hmt || []; function track() {{ return "首页"; }}</script>
<style>.nav {{ color: red; }}</style>
</head>
<body>
<div class="header"><div class="logo">重庆市南岸区人民政府</div>
  <form action="/search"><input name="q"><button>搜索</button></form></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/jg">机构设置</a></li>
  <li><a href="/bs">网上办事</a></li></ul></div>
<div class="main">
  <div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">信息公开目录</a></div>
  <div class="detail-box">
    <h1 class="title">{lines[0]}{lines[1]}</h1>
    <div class="info">发布时间：2024-01-15 来源：广阳镇 浏览次数：123
      字号：<a>大</a> <a>中</a> <a>小</a> 【打印】【关闭】</div>
    <div id="zoom"><div class="TRS_Editor">
{paragraphs}
    </div></div>
    <div class="bdsharebuttonbox">分享到：<a>微信</a><a>微博</a><a>QQ空间</a></div>
    <div class="ewm">扫一扫在手机打开当前页</div>
    <div class="pager"><p>上一篇：关于2022年法治政府建设情况的报告</p>
      <p>下一篇：关于2024年法治政府建设情况的报告</p></div>
  </div>
  <div class="sidebar"><h3>热点新闻</h3><ul><li>南岸区召开工作会议</li></ul></div>
</div>
<div class="footer"><p>版权所有：重庆市南岸区人民政府办公室</p>
  <p>渝ICP备05003300号 渝公网安备50010802000000号</p></div>
<script>track();</script>
</body>
</html>
"""


def test_html_government_page(tmp_path: Path, lines: list[str]) -> None:
    path = tmp_path / "report.shtml"
    path.write_bytes(government_page(lines).encode("gbk"))
    text, fmt = extract_text(path)
    assert fmt == "html"
    # HTML collapses runs of spaces, so compare with collapsed report lines.
    assert_lines_in_order(text, [" ".join(line.split()) for line in lines])
    assert text.split("\n")[0] == lines[0], "title must not be repeated before the body"
    for word in BOILERPLATE:
        assert word not in text, word


def test_html_title_added_when_body_lacks_it(tmp_path: Path, lines: list[str]) -> None:
    path = tmp_path / "report.htm"
    path.write_bytes(government_page(lines, title_in_body=False).encode("gbk"))
    text, _ = extract_text(path)
    assert text.split("\n")[:2] == [lines[0] + lines[1], lines[2]]


def test_html_title_from_title_element(tmp_path: Path, lines: list[str]) -> None:
    body = "".join(f"<p>{line}</p>" for line in lines[2:])
    page = f"<html><head><title>{lines[1]} - 广阳镇</title></head><body><div>{body}</div></body></html>"
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    text, _ = extract_text(path)
    assert text.split("\n")[:2] == [lines[1], lines[2]]


def test_html_sniffed_and_utf8_without_declaration(tmp_path: Path, lines: list[str]) -> None:
    path = tmp_path / "page.asp"
    path.write_text(
        f"<!doctype html><html><body><article><p>{lines[3]}</p></article></body></html>",
        encoding="utf-8",
    )
    assert extract_text(path) == (lines[3], "html")


def test_html_utf16_with_bom(tmp_path: Path, lines: list[str]) -> None:
    path = tmp_path / "page.htm"
    page = f"<html><body><div id='zoom'><p>{lines[2]}</p><p>{lines[3]}</p></div></body></html>"
    path.write_bytes(page.encode("utf-16"))
    assert extract_text(path) == (f"{lines[2]}\n{lines[3]}", "html")


# ---------------------------------------------------------------------------
# errors


def image_only_pdf(path: Path) -> None:
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path))
    pdf.rect(100, 100, 300, 400, fill=1)
    pdf.showPage()
    pdf.save()


def truncated_docx(path: Path, lines: list[str]) -> None:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def truncated_pdf(path: Path, lines: list[str]) -> None:
    write_pdf(path, lines)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def zip_without_document(path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")


def undecodable(report: str) -> bytes:
    """Half UTF-8, half GBK: neither encoding (nor any other) reads the whole file."""
    return report.encode("utf-8")[:2000] + report.encode("gbk")[:2000]


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("empty.txt", lambda path, report, lines: path.write_bytes(b""), "文件为空"),
        ("blank.txt", lambda path, report, lines: path.write_text(" \n\t\r\n　\n"), "文件为空"),
        ("blank.html", lambda path, report, lines: path.write_bytes(b"\n \n"), "文件为空"),
        (
            "random.txt",
            lambda path, report, lines: path.write_bytes(random.Random(0).randbytes(4000)),
            "二进制",
        ),
        ("scan.pdf", lambda path, report, lines: image_only_pdf(path), "扫描件"),
        ("cut.docx", lambda path, report, lines: truncated_docx(path, lines), "docx"),
        ("cut.pdf", lambda path, report, lines: truncated_pdf(path, lines), "损坏"),
        ("sheet.docx", lambda path, report, lines: zip_without_document(path), "不是 Word 文档"),
        (
            "text.docx",
            lambda path, report, lines: path.write_text(report, encoding="utf-8"),
            "纯文本",
        ),
        (
            "text.pdf",
            lambda path, report, lines: path.write_text(report, encoding="utf-8"),
            "PDF",
        ),
        (
            "blob.bin",
            lambda path, report, lines: path.write_bytes(random.Random(0).randbytes(4000)),
            "不支持的文件类型 .bin",
        ),
        (
            "table.xls",
            lambda path, report, lines: path.write_bytes(b"\xd0\xcf\x11\xe0" * 64),
            ".xls",
        ),
        (
            "mixed.txt",
            lambda path, report, lines: path.write_bytes(undecodable(report)),
            "无法识别文件编码",
        ),
        (
            "empty.html",
            lambda path, report, lines: path.write_text(
                "<html><body><nav>首页</nav></body></html>"
            ),
            "网页",
        ),
    ],
)
def test_errors(
    tmp_path: Path, report: str, lines: list[str], name: str, make, reason: str
) -> None:
    path = tmp_path / name
    make(path, report, lines)
    with pytest.raises(ParseError) as caught:
        extract_text(path)
    error = caught.value
    assert CJK_RE.search(error.reason), error.reason
    assert reason in error.reason
    assert name in str(error)
    assert error.path == path


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="无法读取文件"):
        extract_text(tmp_path / "missing.txt")
