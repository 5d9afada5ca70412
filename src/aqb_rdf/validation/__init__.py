"""An RDF graph + the SHACL shapes of ``shapes/`` → a readable report.

Pure. May import: :mod:`aqb_rdf.errors`, :mod:`aqb_rdf.rdf`.
"""
