"""Turn decided editions into a tamper-evident archive, and an archive into findings.

`publish` (publication.py) snapshots the sources, builds from the snapshot and seals a write-once
version as a BagIt bag (bag.py) chained to its predecessor and listed in the archive index
(index.py); `check`/`verify` (verification.py) find every difference and name the version.
"""

from .publication import Published, publish
from .verification import Finding, Report, check, verify

__all__ = ["Finding", "Published", "Report", "check", "publish", "verify"]
