"""Model providers: one small protocol per capability, implementations registered as plugins."""
