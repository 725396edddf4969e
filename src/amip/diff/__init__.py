"""Turn two editions of one organisation into the Änderungsübersicht for the Trägerversammlung (amip diff)."""

from .report import Report, compare
from .write import Written, write_report

__all__ = ["Report", "Written", "compare", "write_report"]
