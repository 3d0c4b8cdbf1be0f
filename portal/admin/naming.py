"""A report's file name in corpus/'s scheme, from its metadata: `cq-dazu-tongqiao-2023.txt`.

Province code (GB/T 2659's two letters, as corpus/ uses them), then county (else city) and town
in toneless pinyin without their suffix, then the year. The upload's own name is never used.
"""

from __future__ import annotations

import re
from collections.abc import Container

from pypinyin import Style, lazy_pinyin

from indexer.model import Region
from indexer.regions import current_divisions

PROVINCE_CODES = {
    "11": "bj", "12": "tj", "13": "he", "14": "sx", "15": "nm", "21": "ln", "22": "jl",
    "23": "hl", "31": "sh", "32": "js", "33": "zj", "34": "ah", "35": "fj", "36": "jx",
    "37": "sd", "41": "ha", "42": "hb", "43": "hn", "44": "gd", "45": "gx", "46": "hi",
    "50": "cq", "51": "sc", "52": "gz", "53": "yn", "54": "xz", "61": "sn", "62": "gs",
    "63": "qh", "64": "nx", "65": "xj", "71": "tw", "81": "hk", "82": "mo",
}  # fmt: skip
SUFFIX = re.compile(
    r"(?:特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|自治旗|"
    r"街道办事处|街道|地区|新区|林区|苏木|省|市|区|县|旗|盟|州|镇|乡)$"
)


def province_code(province: str | None) -> str | None:
    for code, region in current_divisions():
        if code.endswith("0000") and region.province == province:
            return PROVINCE_CODES.get(code[:2])
    return None


def spelled(name: str | None) -> str:
    """`大足区` → `dazu`: toneless pinyin of the name without its suffix, letters only."""
    if not name:
        return ""
    stem = SUFFIX.sub("", name) or name
    return re.sub(r"[^a-z0-9]", "", "".join(lazy_pinyin(stem, style=Style.NORMAL)).lower())


def stem_for(region: Region, year: int | None) -> str:
    county = region.county or (region.city if region.city != region.province else None)
    parts = [province_code(region.province), spelled(county), spelled(region.town)]
    parts = [p for p in parts if p] + ([str(year)] if year else [])
    return "-".join(parts) or "report"


def file_name(region: Region, year: int | None, suffix: str, taken: Container[str]) -> str:
    """A free name: `taken` holds the stems already used (files and report ids)."""
    stem = base = stem_for(region, year)
    n = 2
    while stem in taken:
        stem, n = f"{base}-{n}", n + 1
    return f"{stem}{suffix}"
