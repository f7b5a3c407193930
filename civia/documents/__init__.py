"""Documents and search: extraction (OCR included), chunking, lexical + vector indexing,
hybrid search, and what users do with them.

Entry points: `ingest.ingest_bytes` (or `ingest.register` + the `documents.ingest` job of
`jobs.py`, which runs `pipeline.analyse` from the file kept by `storage`), `upload` (streamed
multipart uploads), `collections` (who may create, manage, upload, delete), `search.search`,
`grounding.ground` and `chat` (answers with cited sources), `permissions.readable_collection_ids`,
`admin.collection_stats` / `admin.reindex_collection`, `hooks` (retention, data export and
erasure) and `cli.retrieval_command` (`civia eval retrieval`).
"""
