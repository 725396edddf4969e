"""Turn an edition folder into a live preview in the author's browser (amip preview)."""

from .session import run  # noqa: F401 – the one entry point (cli.py)
