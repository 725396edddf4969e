"""Turn an organisation's theme folder and design options into what rendering needs (search path, fonts, files)."""

from .. import model as _model  # noqa: F401 – amip.model first: theme.model builds on its types and it imports theme.model
