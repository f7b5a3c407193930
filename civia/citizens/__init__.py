"""The public assistant of a collectivité's website (`/citoyens/<collectivité>`)."""
