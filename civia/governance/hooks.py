"""Every area's governance hooks, registered in one place: the retention purgers
(`retention.register_purger`), the sections of a user's data export and erasure
(`dsr.register_exporter` / `register_eraser`) and the text stores that the erasure of a cited
person walks (`text_stores.register_text_store`).

A process that may run them calls `load(settings)` when it starts: the web app
(`create_app`), `civia retention sweep`, and every job worker (`Worker.start`, for the web
app's embedded worker and for `civia worker`). Loading again registers the same hooks again;
the last data directory wins.
"""

from __future__ import annotations

from civia.settings import Settings


def load(settings: Settings) -> None:
    from civia.assistants import runs
    from civia.documents import hooks as documents
    from civia.governance import dsr, text_stores_builtin, text_stores_documents
    from civia.meetings import erasure as meeting_texts
    from civia.meetings import retention as meetings

    text_stores_builtin.register()
    text_stores_documents.register(settings.data_dir)
    meeting_texts.register()
    documents.install(settings.data_dir)
    meetings.register()
    dsr.register_exporter("fichiers_des_resultats_d_assistants", runs.export_attachments)
