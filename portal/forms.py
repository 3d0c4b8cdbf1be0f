"""The search box as a Flask-WTF form: rendered by every page, validated on every search."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SearchField
from wtforms.validators import Length

from search.errors import BadRequest

MAX_Q = 10_000  # longer than this is not a query; the search itself uses the first 256 characters


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that changes nothing: there is nothing to forge

    q = SearchField(
        "检索词",
        validators=[Length(max=MAX_Q, message=f"检索式过长，最多 {MAX_Q} 个字")],
        render_kw={
            "placeholder": '输入检索词，如 法律明白人、"八五普法"、调解 -网格',
            "autocomplete": "off",
            "id": "q",
        },
    )


def search_form(args) -> SearchForm:
    """The form filled from the query string; raises BadRequest with the form's own message."""
    form = SearchForm(formdata=args)
    if not form.validate():
        raise BadRequest("；".join(form.q.errors))
    return form
