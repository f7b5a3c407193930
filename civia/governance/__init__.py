"""Governance: audit log, AI charter, acculturation, use-case register and review, incidents,
public transparency, retention and data-subject rights.

Each area is a small module of data functions (keyword-only arguments, French error messages);
the web pages live in `civia.web.routes.gov_*` and the commands in `civia.cli.governance`.
"""
