"""Post-checks of the form assistants whose answers the small model fills with copies or loose
ends (compte rendu, SWOT, diapositives, réseaux sociaux, traduction): deterministic fixes, each
said to the agent in a note. Each module finishes one assistant (see postchecks.CHECKS)."""
