"""Background jobs: rows users see (`models.Job`), carried to workers by Huey.

`queue` enqueues (the Huey message follows the commit), starts (once), reports progress,
cancels and recovers jobs left running by a stopped process; `dispatch` picks Huey's back end
(Redis, PostgreSQL or SQLite); `worker` runs Huey consumers in the web process or in
`civia worker`; `periodic` runs the plugins' periodic tasks from Huey's scheduler, each period
once. Areas declare their job kinds in their own `jobs.py` module (`civia.jobs.registry.register`)
and return them from their plugin's `register_job_kinds` hook.
"""
