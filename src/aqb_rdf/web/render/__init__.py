"""What the pages show, built from triples: page models, labels, texts in two languages, charts.

Pure: no request, no response, no store. May import: :mod:`aqb_rdf.rdf`, the foundations.
"""
