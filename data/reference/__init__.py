"""Data package: the files here ship inside the aqb_rdf wheel (see resources.py)."""
