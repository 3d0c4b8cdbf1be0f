"""Rewrite the golden paragraph files from the parser; review `git diff tests/golden` before committing."""

import json
from pathlib import Path

from indexer.parse import parse_file

ROOT = Path(__file__).resolve().parents[2]

for path in sorted((ROOT / "corpus").glob("*.txt")):
    report = parse_file(path)
    rows = [
        {
            "id": p.id,
            "kind": p.kind,
            "section": p.section,
            "section_path": p.section_path,
            "text": p.text,
        }
        for p in report.paragraphs
    ]
    out = Path(__file__).with_name(f"{report.report_id}.json")
    out.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(out.name, len(rows))
