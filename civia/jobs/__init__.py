"""Background jobs: one queue interface over the database, run by in-process or separate workers.

`queue` enqueues, claims (atomically, so several workers may share a queue), reports progress,
cancels and recovers jobs left running by a stopped process; `worker` runs them. Areas declare
their job kinds in their own `jobs.py` module (`civia.jobs.registry.register`) and return them
from their plugin's `register_job_kinds` hook.
"""
