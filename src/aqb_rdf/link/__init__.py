"""``aqb-rdf link``: reconcile the reference tables with Wikidata and write confirmed links.

``reconcile`` is pure; ``table_update`` writes the tables. May import: :mod:`aqb_rdf.remote`,
:mod:`aqb_rdf.source` (the reference tables), the foundations.
"""
