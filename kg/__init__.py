"""dci-kg core: store, write gate, queries, competence resolution, reasoning and the CLI."""
