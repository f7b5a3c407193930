"""Assistants are data: strict specs (YAML for built-ins) run by one runner."""
