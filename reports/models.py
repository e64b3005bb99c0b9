"""The reports app's models live with their journey; Django finds them through this module."""

from reports.packs.models import BoardPack

__all__ = ["BoardPack"]
