"""The audit log: append-only, hash-chained entries, one chain per collectivité."""
