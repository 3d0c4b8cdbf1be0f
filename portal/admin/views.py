"""The admin pages: upload and preview, confirm, manage (edit, delete), rebuild, audit log.

Every route needs a curator's session (`require_login`); every form posts Flask-WTF's CSRF
token. Views read the request, call the admin modules, and render.
"""

from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from . import changes, jobs, library, uploads
from .audit import Audit
from .divisions import suggestions
from .forms import ActionForm, MetadataForm, UploadForm, chosen, corrections
from .library import STATUS_LABELS
from .preview import preview_of

bp = Blueprint("admin", __name__, url_prefix="/admin")
MAX_FILES = 10  # files in one upload
EXPLAINED = 20  # files not in the index that the manage page parses to say why


def places() -> jobs.Places:
    config = current_app.config
    return jobs.Places(Path(config["CORPUS"]), Path(config["INDEX"]), Path(config["ADMIN_DIR"]))


OPEN = {"admin.login", "admin.logout"}  # registered by auth.py, under this blueprint's name


@bp.before_request
def require_login():
    if request.endpoint in OPEN:
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    changes.recover(places())  # what a killed worker left half done
    return None


@bp.get("/")
def home():
    here = places()
    found = library.entries(here)
    counts = {
        label: sum(e.status == status for e in found) for status, label in STATUS_LABELS.items()
    }
    return render_template(
        "admin/home.html", upload=UploadForm(), action=ActionForm(), counts=counts,
        pending=uploads.pending(here), job=jobs.rebuild_state(here),
        audit=Audit(here.admin).latest(30), limit=current_app.config["UPLOAD_MB"],
    )  # fmt: skip


@bp.post("/upload")
def upload():
    form = UploadForm()
    files = [f for f in request.files.getlist(form.files.name) if f.filename or f.content_length]
    if not files:
        flash("请选择要上传的文件")
        return redirect(url_for("admin.home"))
    if len(files) > MAX_FILES:
        flash(f"一次最多上传 {MAX_FILES} 个文件")
        return redirect(url_for("admin.home"))
    limit = current_app.config["UPLOAD_MB"]
    accepted, rejected = [], []
    for storage in files:
        data = storage.stream.read(int(limit * (1 << 20)) + 1)
        try:
            accepted.append(
                uploads.receive(places(), storage.filename or "", data, current_user.name, limit)
            )
        except uploads.Rejected as exc:
            rejected.append((storage.filename or "", str(exc)))
    if len(accepted) == 1 and not rejected:
        return redirect(url_for("admin.preview", token=accepted[0].token))
    status = 200 if accepted else 400
    return render_template("admin/uploaded.html", accepted=accepted, rejected=rejected), status


@bp.route("/uploads/<token>", methods=["GET", "POST"])
def preview(token: str):
    here = places()
    staged = uploads.load(here, token)
    if staged is None:
        abort(404)
    form = MetadataForm()
    form.conflict.choices = _conflict_choices(staged.same_place)
    if not form.is_submitted():
        form.fill(staged.report)
        return _preview_page(form, staged)
    form.validate()
    picked = chosen(form)
    if picked.errors:
        return _preview_page(form, staged, picked.errors, picked.regions), 400
    fixed = corrections(staged.report, picked.values)
    same = library.same_region_year(here, picked.values["region"], picked.values.get("year"))
    form.conflict.choices = _conflict_choices(same)
    choice = form.conflict.data or ""
    if same and choice not in dict(form.conflict.choices):
        return _preview_page(
            form,
            staged,
            {"conflict": "同一地区、同一年度已有报告，请选择替换它或仍作为新报告收录"},
            same=same,
        ), 409
    replace = next((e for e in same if choice == f"replace:{e.source}"), None)
    region, year = picked.values["region"], picked.values.get("year")
    return _done(changes.add(here, staged, fixed, current_user.name, region, year, replace))


def _conflict_choices(same: list) -> list[tuple[str, str]]:
    if not same:
        return []
    return [(f"replace:{e.source}", f"替换 {e.source}（{e.title}）") for e in same] + [
        ("keep", "保留原有报告，另行收录这一份")
    ]


def _preview_page(form, staged, errors=None, regions=None, same=None):
    return render_template(
        "admin/preview.html", form=form, staged=staged, view=preview_of(staged.report),
        errors=errors or {}, regions=regions or suggestions(form.region.data or ""),
        same=staged.same_place if same is None else same, action=ActionForm(),
    )  # fmt: skip


def _done(outcome: changes.Outcome):
    status = 200 if outcome.ok else 409
    links, entry = {}, outcome.entry
    if outcome.ok and entry is not None:
        links["report"] = url_for("reports.show", report_id=entry.report_id)
        place = [v for v in entry.region.as_dict().values() if v][-1:]
        links["search"] = url_for("search.results", region=place, year=entry.year, view="reports")
    return render_template("admin/done.html", outcome=outcome, links=links), status


@bp.post("/uploads/<token>/discard")
def discard(token: str):
    uploads.discard(places(), token)
    flash("已放弃这份上传")
    return redirect(url_for("admin.home"))


@bp.get("/reports")
def manage():
    here = places()
    wanted = request.args.get("status", "")
    text = (request.args.get("q") or "").strip()
    rows = [e for e in library.entries(here)
            if (not wanted or e.status == wanted)
            and (not text or text in f"{e.source} {e.title} {e.region_label} {e.year or ''}")]  # fmt: skip
    shown = rows[:500]
    warnings = library.warnings_of(here.index, [e.report_id for e in shown if e.report_id])
    for entry in shown:
        entry.warnings = warnings.get(entry.report_id, [])
    for entry in [e for e in shown if e.status == "pending"][:EXPLAINED]:
        library.explain(here, entry)
    return render_template(
        "admin/manage.html", rows=shown, total=len(rows), status=wanted, q=text,
        statuses=STATUS_LABELS,
    )  # fmt: skip


@bp.route("/edit", methods=["GET", "POST"])
def edit():
    here = places()
    source = request.values.get("source", "")
    path = library.corpus_file(here, source)
    if path is None:
        abort(404)
    try:
        report = uploads.parse(path)
    except uploads.Rejected as exc:
        flash(f"{source} 无法解析：{exc}")
        return redirect(url_for("admin.manage"))
    form = MetadataForm()
    del form.conflict
    if not form.is_submitted():
        form.fill(report)
        return _edit_page(form, source, report)
    form.validate()
    picked = chosen(form)
    if picked.errors:
        return _edit_page(form, source, report, picked.errors, picked.regions), 400
    fixed = corrections(report, picked.values)
    if not fixed:
        flash("没有改动")
        return redirect(url_for("admin.manage"))
    return _done(changes.edit(here, source, fixed, current_user.name))


def _edit_page(form, source, report, errors=None, regions=None):
    return render_template(
        "admin/edit.html", form=form, source=source, view=preview_of(report), errors=errors or {},
        regions=regions or suggestions(form.region.data or ""),
    )  # fmt: skip


@bp.route("/delete", methods=["GET", "POST"])
def delete():
    here = places()
    source = request.values.get("source", "")
    entry = next((e for e in library.entries(here) if e.source == source), None)
    if entry is None:
        abort(404)
    form = ActionForm()
    if request.method == "GET":
        form.source.data = source
        return render_template("admin/delete.html", form=form, entry=entry)
    return _done(changes.delete(here, source, current_user.name))


@bp.route("/rebuild", methods=["GET", "POST"])
def rebuild():
    here = places()
    if request.method == "POST":
        problem = jobs.start_rebuild(here)
        if problem:
            flash(problem)
        else:
            Audit(here.admin).record(current_user.name, "rebuild", str(here.index))
        return redirect(url_for("admin.rebuild"))
    return render_template("admin/rebuild.html", job=jobs.rebuild_state(here), action=ActionForm())


@bp.get("/regions.json")
def regions():
    return jsonify(suggestions(request.args.get("q", "")))
