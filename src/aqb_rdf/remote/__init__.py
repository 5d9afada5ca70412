"""Other SPARQL stores over HTTP: one retry policy, timeout and User-Agent for every client.

``policy`` is that one policy and its retry loop, with the URL check; ``sparql`` runs remote
SPARQL queries through SPARQLWrapper (httpx, in :mod:`aqb_rdf.push`, writes graphs).
May import: :mod:`aqb_rdf.errors`.
"""
