"""Chart builders: DataFrames and plain values in, a plotly figure (or words, or a table frame)
out. They import no Django and no models (an import-linter contract keeps them so): callers pass
units and period kinds as the plain strings the catalogue stores, and serialise each figure once
(``figure.to_json()``) for the page."""
