"""SPARQL over a release: named queries, their results, the store, the guard, the sandboxed pool.

May import: :mod:`aqb_rdf.errors`, :mod:`aqb_rdf.config` (the pool's defaults),
:mod:`aqb_rdf.rdf`. The worker processes of ``pool`` run ``worker``; nothing here speaks HTTP.
"""
