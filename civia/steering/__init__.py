"""Pilotage: the ledger of every model call (cost, footprint), the dashboard of adoption and value,
and the reviews of a deployment."""
