"""The build: documents → validated agreement graphs → a published release, in worker processes.

May import every stage below it: :mod:`aqb_rdf.source`, :mod:`aqb_rdf.mapping`,
:mod:`aqb_rdf.validation`, :mod:`aqb_rdf.publish`, :mod:`aqb_rdf.resources` and the foundations.
Never the serving side (:mod:`aqb_rdf.sparql`, :mod:`aqb_rdf.web`).
"""
