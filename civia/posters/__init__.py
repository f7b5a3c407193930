"""Posters, flyers and social-media visuals laid out from the « Affiche et visuel » assistant."""
