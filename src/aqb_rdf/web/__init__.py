"""The HTTP layer: content negotiation, SPARQL 1.1 Protocol parsing and the web shell."""
