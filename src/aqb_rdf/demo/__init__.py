"""A synthetic corpus of agreements in the seeds' layouts, for benchmarks, tests and demonstrations.

:mod:`aqb_rdf.demo.corpus` writes Zielvereinbarungen in the two layouts of the real seeds in
``data/agreements/2025/`` for invented regions, with a reference table of their own. What marks
them synthetic: every region's row in that table says "synthetic region" in ``anmerkung``, the
region keys start at 10001 (no real Kreisschlüssel), and no region has a NUTS code or a Wikidata
item; the documents themselves carry the seeds' text with invented facts and no mark of their own.
:mod:`aqb_rdf.demo.years` writes the 26 real Gebietskörperschaften × 2014–2026 with invented
budgets and projects that change from year to year, and returns its own figures; ``python -m
aqb_rdf.demo`` (``make demo``) builds it as a synthetic release under its own base IRI and
serves it. The corpus modules import the standard library and the packaged reference data;
``__main__`` is a shell, like the command line, and may import the build. Nothing imports
this package but benchmarks, tests and demonstrations.
"""
