"""Documents and search: extraction, chunking, lexical + vector indexing, hybrid search.

Entry points: `ingest.ingest_bytes` (or `ingest.create_document` + `ingest.process_document`
+ `vectors.embed_pending` from background jobs), `search.search`,
`permissions.readable_collection_ids`, `admin.index_stats` / `admin.reindex`, and
`cli.retrieval_command` (`civia eval retrieval`).
"""
