"""The one error type a report file can fail with."""

from pathlib import Path


class ParseError(Exception):
    """A report file that cannot be read; `reason` is a Chinese message for users."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path.name}：{reason}")
