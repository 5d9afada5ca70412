"""Full-text search over a release: German-aware words, the entries the graph names, the index.

``german`` folds words (case, ß/ss, umlauts, accents) and names the optional words;
``entries`` turns the triples of a release into the entries a search finds (pure);
``index`` writes them into an SQLite FTS5 file of the release and answers queries from it,
opened read-only. May import: :mod:`aqb_rdf.errors`, :mod:`aqb_rdf.rdf`.
"""
