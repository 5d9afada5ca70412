"""``aqb-rdf push``: write a release into another SPARQL 1.1 store, one named graph at a time.

``sync`` is the pure core; ``graph_store`` is its HTTP edge (httpx, the Graph Store Protocol and
SPARQL Update). May import: :mod:`aqb_rdf.remote`, :mod:`aqb_rdf.sparql`, the foundations.
"""
