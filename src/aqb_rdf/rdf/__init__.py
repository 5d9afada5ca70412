"""RDF building blocks: namespaces, IRIs, terms, formats and the files a release publishes,
each defined here and nowhere else.

Pure. May import: the standard library, rdflib, pyoxigraph. No other aqb_rdf package.
"""
