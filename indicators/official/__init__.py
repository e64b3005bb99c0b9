"""Importers of published files. Each validates every row first, then writes all or nothing."""
