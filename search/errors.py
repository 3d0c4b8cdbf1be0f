"""Errors search reports to its callers; every message is Chinese and names the problem."""


class BadRequest(ValueError):
    """A parameter that cannot be understood (the site answers 400)."""


class IndexMissing(FileNotFoundError):
    """No index has been built yet."""


class IndexDamaged(RuntimeError):
    """The live generation's files are not as they were sealed, or cannot be read."""


class OverBudget(TimeoutError):
    """A request ran past its time budget (the site answers 503)."""
