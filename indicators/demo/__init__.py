"""Deterministic, clearly fictional demo data: regions, authorities, neighbours, inspections,
events, milestones, monthly returns and ten years of observations for every catalogue indicator.

Everything is invented. Names are built from nonsense syllables, GSS codes sit in ranges no real
area uses (E12000901.., E06/E08/E09/E10 followed by 0009NN or 0008NN) and DfE codes in 500-799,
which real authorities never use. Every row is marked ``is_demo=True`` (observations
``source=Source.DEMO``).

The package has a pure half and a writing half:

* ``plan.build_plan`` is pure: a seed, sizes and a date in, plain data out, built with numpy (one
  ``np.random.default_rng(seed)`` stream), so the same arguments always give the same data. It
  draws each authority's story (``history``: inspections, events, milestones) and its monthly
  figures (``simulate``).
* ``load.load_demo`` is the one write: it replaces the previous demo data with a new plan inside
  one transaction, and never touches anything that is not demo data. ``returns`` then gives the
  demo users' authority its approved returns' figures.

Each authority follows an *archetype* that ties its figures to its inspections: some fall to
Inadequate and recover (timeliness drops and agency use and caseloads rise around the fall, then
improve), some stay stuck at Requires improvement or Inadequate, some stay Good or Outstanding and
the rest move steadily from Requires improvement to Good. A latent performance score per authority
and month (0 worst, 1 best) is drawn through the inspection grades; every indicator is a noisy
function of it.
"""
