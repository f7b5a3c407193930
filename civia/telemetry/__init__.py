"""Process-wide instruments every area may use: Prometheus metrics (`metrics`) and the request
id carried by log records (`context`). The lowest layer: it imports no other area, so the chat
gateway, the job worker and the web middleware can all record into it; `civia.ops` serves and
configures it."""
