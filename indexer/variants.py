"""Traditional → simplified characters, for recognising a report (title, year, topic) only.

The stored text stays as written; these helpers give the simplified reading used by
the recognisers (title patterns, region names). OpenCC (`opencc-python-reimplemented`)
does the conversion; text without traditional characters is returned unchanged.
"""

from __future__ import annotations

from functools import cache, lru_cache


@cache
def _converter():
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=4096)
def simplified(text: str) -> str:
    """The simplified-character reading of `text` (the same string when nothing changes)."""
    if text.isascii():
        return text
    converted = _converter().convert(text)
    return text if converted == text else converted


def is_traditional(text: str) -> bool:
    return simplified(text) != text
