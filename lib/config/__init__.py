"""Settings and their sources: environment, .env, secrets.toml, Codespaces, origins, private files, redaction."""
