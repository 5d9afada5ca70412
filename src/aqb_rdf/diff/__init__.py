"""What changed between two releases: per agreement, the facts added, removed and changed.

``graphs`` reads a release's TriG dump one named graph at a time and compares graphs blank-node
safe; ``changes`` is the pure core (two streams of graphs → a :class:`~aqb_rdf.diff.changes.
ReleaseDiff`); ``output`` writes a diff as text, JSON or a SPARQL 1.1 Update patch. May import:
:mod:`aqb_rdf.errors`, :mod:`aqb_rdf.rdf`. Used by the build (the catalogue's version notes),
``aqb-rdf push`` (reading graphs) and ``aqb-rdf diff``.
"""
