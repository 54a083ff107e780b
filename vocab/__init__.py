"""The language layer: namespaces, RDF terms, IRI minting, label matching. Imports nothing of the project."""
