"""Machine APIs: the OpenAI-compatible /v1 gateway for business tools."""
