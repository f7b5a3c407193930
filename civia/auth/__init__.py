"""Authentication: argon2 passwords, server-side sessions, CSRF, API tokens, rate limits."""
