"""Tools every layer shares, at the bottom so that imports point one way: the importer toolkit,
the GOV.UK form renderer, CSV safety, months, GSS codes and text helpers. Nothing here imports
``indicators`` or ``reports``."""
