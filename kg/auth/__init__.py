"""Who may do what: bearer tokens and the graphs each role may read."""
