"""The handlers of the pages and Linked-Data answers, one module per URL level.

``index`` is ``/``; ``resource`` is every minted IRI (``/id/…``, ``/def/…``, ``/graph/…``) and
the catalogue; ``queries`` is ``/queries`` and ``/query``. Each reads the request, calls the
core and :mod:`aqb_rdf.web.render`, and answers.
"""
