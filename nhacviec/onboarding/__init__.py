"""Setting an office up: a config.toml from a plan, people from a staff sheet, and the
checks that names resolve to someone before the engine starts."""
