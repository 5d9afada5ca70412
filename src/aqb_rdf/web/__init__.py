"""The HTTP shell: the server, the app, SPARQL 1.1 Protocol, content negotiation, the pages.

``server``, ``sandboxed``, ``supervisor``, ``http_limits`` and ``connections`` run the HTTP
server; ``app`` and ``routes`` wire the handlers of :mod:`aqb_rdf.web.views`, which build what they show with the pure
:mod:`aqb_rdf.web.render` and answer every error through the one table of ``errors``. May import: :mod:`aqb_rdf.sparql`, :mod:`aqb_rdf.publish`, the
foundations; never the build.
"""
