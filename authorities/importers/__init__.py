"""Importers of published files about authorities: the DfE statistical neighbour model and
Ofsted's inspection outcomes. Each validates every row first, then writes all or nothing, with the
shared tools of ``authorities.toolkit.importing``."""
