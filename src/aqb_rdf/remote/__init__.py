"""Other SPARQL stores over HTTP: one retry policy, one bounded client, one User-Agent.

``policy`` is the retry policy and its loop, with the URL check; ``client`` is the one HTTP
client (httpx) with a total deadline, a size cap and same-origin redirects on every request;
``sparql`` runs remote SPARQL queries through it (``link``); :mod:`aqb_rdf.push` writes graphs
through it. May import: :mod:`aqb_rdf.errors`.
"""
