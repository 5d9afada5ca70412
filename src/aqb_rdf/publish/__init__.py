"""What a release publishes: the dumps, JSON-LD, the DCAT-AP.de catalogue, VoID, the release folder.

The description modules (``dcat``, ``void``, ``jsonld``) are pure; ``dumps``, ``metadata`` and
``release`` write files. May import: :mod:`aqb_rdf.errors`, :mod:`aqb_rdf.rdf`,
:mod:`aqb_rdf.source` (the model).
"""
