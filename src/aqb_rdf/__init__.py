"""aqb-rdf: linked open data for the Hessian Ausbildungs- und Qualifizierungsbudget."""
