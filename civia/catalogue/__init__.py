"""The shared catalogue of a deployment: Atelier assistants and diagnostic grids a collectivité
publishes for the others (a snapshot of their data only), which another one adopts as a draft
with its lineage."""
