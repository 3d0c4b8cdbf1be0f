"""The issuer's level: a town's or street's report, a county's, a city's, a province's, or a
government department's (司法局, 教育局). Read from the issuing body's name as the report
prints it, checked against the report's region; a name that says neither clearly gets none."""

from __future__ import annotations

import re

from ..filters import FilterError
from ..snapshot import short_name
from .base import CodedFacet

LEVELS = ("乡镇街道", "县区", "市", "省", "部门")  # the facet's values, in this order
# The last issuing body of a joint report (党委、政府) is the government's.
_BODIES = re.compile(r"[、，,；;\s]+")
_DEPARTMENT = re.compile(r"(?:局|厅|署|委员会|办公室|中心)$")
_PARTY = re.compile(r"(?:党委|党工委|工委|镇委|乡委|区委|县委|市委|省委)$")
_GOVERNMENT = re.compile(r"(?:人民政府|街道办事处|办事处|管理委员会|管委会)$")


def issuer_level(issuer: str, region) -> str | None:
    """The level of the body that issued a report, or None when its name does not say."""
    bodies = [b for b in _BODIES.split(issuer or "") if b]
    if not bodies:
        return None
    last = bodies[-1]
    if _DEPARTMENT.search(last) and not _GOVERNMENT.search(last) and "管委会" not in last:
        return "部门"
    body = _GOVERNMENT.sub("", _PARTY.sub("", last))
    if body == last:  # neither a government nor a party committee: say nothing
        return None
    province = region.province
    levels = [("乡镇街道", region.town), ("县区", region.county)]
    if region.city and region.city != province:  # a municipality's city level is its province
        levels.append(("市", region.city))
    levels.append(("省", province))
    for level, name in levels:
        if name and (body.endswith(name) or body.endswith(short_name(name))):
            return level
    if last.endswith("街道办事处") or re.search(r"[镇乡]人民政府$", last):
        return "乡镇街道"
    return None


class IssuerLevelFacet(CodedFacet):
    name, title, chip = "issuer_level", "发布机关层级", "层级"
    keys = ("issuer_level", "层级", "发布层级")
    description = f"发布机关层级：{'、'.join(LEVELS)}；可重复"
    max_values = len(LEVELS)

    def schema(self) -> dict:
        return {"type": "string", "enum": list(LEVELS)}

    def parse(self, value: str) -> tuple:
        value = value.strip()
        if value not in LEVELS:
            raise FilterError(f"发布机关层级「{value}」无法识别，可选：{'、'.join(LEVELS)}")
        return (value,)

    def value_of(self, info) -> str | None:
        return issuer_level(info.issuer, info.region)

    def order(self, values: list) -> list:
        return sorted(values, key=LEVELS.index)
