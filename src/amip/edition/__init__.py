"""Turn an edition folder into a checked Edition (and name the editions of a series)."""

from .load import Edition, collation_key, load_edition

__all__ = ["Edition", "collation_key", "load_edition"]
