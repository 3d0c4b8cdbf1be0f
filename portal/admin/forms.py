"""The admin's forms (Flask-WTF: every one carries the CSRF token) and what a metadata form means."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    IntegerField,
    MultipleFileField,
    PasswordField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from indexer.model import Region, Report

from .divisions import TOWN, label, resolve

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


class LoginForm(FlaskForm):
    name = StringField("管理员名称", validators=[DataRequired("请填写管理员名称")])
    password = PasswordField("密码", validators=[DataRequired("请填写密码")])
    next = HiddenField()


class UploadForm(FlaskForm):
    files = MultipleFileField("报告文件", render_kw={"accept": ".txt,.docx,.pdf,.html,.htm"})


class ActionForm(FlaskForm):
    """A button that changes something: the CSRF token and, for some, which file."""

    source = HiddenField()


class MetadataForm(FlaskForm):
    title = TextAreaField(
        "标题", validators=[DataRequired("请填写标题"), Length(max=300, message="标题最多 300 字")]
    )
    region = StringField(
        "所属区县（或地市、省）", render_kw={"list": "region-choices", "autocomplete": "off"}
    )
    town = StringField("乡镇（街道）", validators=[Length(max=20, message="乡镇名称最多 20 字")])
    year = IntegerField(
        "年度",
        validators=[
            InputRequired("请填写年度"),
            NumberRange(1990, 2100, "年度应在 1990–2100 之间"),
        ],
    )
    issued = StringField(
        "成文日期", validators=[Optional()], render_kw={"placeholder": "如 2024-01-10"}
    )
    doc_number = StringField("文号", validators=[Length(max=80, message="文号最多 80 字")])
    conflict = RadioField("同地区同年度已有报告", choices=[], validate_choice=False)

    def fill(self, report: Report) -> None:
        """Show the report's current metadata (on GET only: a POST keeps what was typed)."""
        self.title.data = report.title or ""
        self.region.data = label(report.region)
        self.town.data = report.region.town or ""
        self.year.data = report.year
        self.issued.data = report.issued or ""
        self.doc_number.data = report.doc_number or ""


@dataclass
class Chosen:
    """The metadata a curator confirmed, checked; `regions` lists candidates for a vague name."""

    values: dict
    errors: dict[str, str]
    regions: list[str]


def chosen(form: MetadataForm) -> Chosen:
    """The form's values as sidecar fields, or Chinese errors by field."""
    errors = {name: field.errors[0] for name, field in form._fields.items() if field.errors}
    values: dict = {}
    title = "\n".join(line.strip() for line in (form.title.data or "").splitlines() if line.strip())
    if CONTROL.search(title):
        errors["title"] = "标题含有控制字符"
    values["title"] = title
    region, candidates = resolve(form.region.data or "")
    if region is None and (form.region.data or "").strip():
        errors["region"] = (
            f"“{form.region.data}”可能是：{'、'.join(candidates)}，请选其一"
            if candidates else f"行政区划表中没有“{form.region.data}”，请从提示中选择"
        )  # fmt: skip
    town = (form.town.data or "").strip()
    if town and not TOWN.match(town):
        errors["town"] = "乡镇名称应以“镇”“乡”“街道”或“苏木”结尾"
    region = region or Region()
    region.town = town or None
    values["region"] = region
    if form.year.data is not None and "year" not in errors:
        values["year"] = form.year.data
    issued = (form.issued.data or "").strip()
    if issued:
        try:
            values["issued"] = dt.date.fromisoformat(issued).isoformat()
        except ValueError:
            errors["issued"] = "成文日期应写成 年-月-日，如 2024-01-10"
    values["doc_number"] = (form.doc_number.data or "").strip()
    return Chosen(values, errors, candidates)


def corrections(report: Report, values: dict) -> dict:
    """The fields whose confirmed value differs from the report's: what its sidecar records."""
    fixed: dict = {}
    if values["title"] != (report.title or ""):
        fixed["title"] = values["title"]
    if values["region"] != report.region:
        fixed["region"] = {k: v or "" for k, v in values["region"].as_dict().items()}
    if "year" in values and values["year"] != report.year:
        fixed["year"] = values["year"]
    if values.get("issued") and values["issued"] != report.issued:
        fixed["issued"] = values["issued"]
    if values["doc_number"] and values["doc_number"] != (report.doc_number or ""):
        fixed["doc_number"] = values["doc_number"]
    return fixed
