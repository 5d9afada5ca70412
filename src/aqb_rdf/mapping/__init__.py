"""The parsed agreement and the reference tables → RDF graphs in the terms of ``ontology/``.

Pure. May import: :mod:`aqb_rdf.errors`, :mod:`aqb_rdf.rdf`, :mod:`aqb_rdf.source` (the model).
"""
