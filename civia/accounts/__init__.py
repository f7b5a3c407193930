"""Accounts: collectivités, services, users and roles; passwords, sessions, API tokens and
login rate limits; the data functions shared by the admin UI and the CLI (`manage`)."""
