"""Usage of the models: one event per call (who, which model, tokens, latency, outcome)."""
