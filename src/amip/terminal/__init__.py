"""Turn click's English command-line frame and long-running commands into German help, errors and progress."""

from .frame import GermanCommand, GermanGroup, EXIT_CODES_EPILOG  # noqa: F401
from .progress import Progress, silent  # noqa: F401
