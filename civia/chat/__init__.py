"""Conversations and the model gateway shared by the web UI and the /v1 API."""
