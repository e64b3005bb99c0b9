"""Board packs: what an improvement board takes to its meeting (issue 17, item 4).

A pack is built once (``build``), kept as a JSON snapshot (``models.BoardPack``), shown from that
snapshot as a page made for print and as a tagged PDF (``pdf``), and compared with a fresh build
to say what has changed since it was made (``changes``).
"""
