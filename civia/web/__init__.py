"""Server-rendered UI: Jinja2 templates + HTMX, SSE for streaming answers."""
