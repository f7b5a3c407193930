"""Uploads: the body-size limit (limit.py) and the streamed multipart receiver (stream.py)."""
