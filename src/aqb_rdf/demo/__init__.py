"""A synthetic corpus of agreements in the seeds' layouts, for benchmarks, tests and demonstrations.

:mod:`aqb_rdf.demo.corpus` writes Zielvereinbarungen in the two layouts of the real seeds in
``data/agreements/2025/`` for invented regions, with a reference table of their own. What marks
them synthetic: every region's row in that table says "synthetic region" in ``anmerkung``, the
region keys start at 10001 (no real Kreisschlüssel), and no region has a NUTS code or a Wikidata
item; the documents themselves carry the seeds' text with invented facts and no mark of their own.
May import: the standard library and the packaged reference data; nothing imports it but
benchmarks, tests and demonstrations.
"""
