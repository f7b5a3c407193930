"""Civia's plugin system: every area registers what it brings through pluggy hooks.

`hookspecs` declares the hooks, `registries` the per-app containers they fill, `loader` builds
them for one app or one command (built-in areas listed in `DEFAULT_PLUGINS`, third-party packages
through the `civia` entry point group). See docs/architecture.md.
"""
