"""Source documents → the parsed agreement: reading files, text layout, German values, parsing.

``reading`` is the only module here that touches the file system; the rest is pure.
May import: :mod:`aqb_rdf.errors`, :mod:`aqb_rdf.rdf`.
"""
