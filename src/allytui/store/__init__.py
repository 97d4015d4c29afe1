"""Records on disk: TOML files in a git repository, written atomically, one commit per change."""
