"""Other SPARQL stores over HTTP: one retry policy, timeout and User-Agent for every client.

SPARQLWrapper is the client for remote SPARQL queries. May import: :mod:`aqb_rdf.errors`.
"""
