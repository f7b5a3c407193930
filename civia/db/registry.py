"""Import every module that declares models, so `Base.metadata` is complete."""

from __future__ import annotations

from civia.accounts import models as account_models
from civia.assistants import models as assistant_models
from civia.audit import models as audit_models
from civia.chat import models as chat_models
from civia.db.base import Base
from civia.documents import models as document_models
from civia.documents.acts import models as act_models
from civia.governance import models as governance_models
from civia.jobs import models as job_models
from civia.meetings import models as meeting_models
from civia.plugins import loader as plugin_loader
from civia.providers import models as provider_models
from civia.usage import models as usage_models

MODEL_MODULES = (
    account_models,
    provider_models,
    chat_models,
    usage_models,
    audit_models,
    assistant_models,
    governance_models,
    document_models,
    job_models,
    meeting_models,
    act_models,
)
# Areas brought by plugins declare their models through the `register_models` hook.
PLUGIN_MODEL_MODULES = plugin_loader.plugin_manager().hook.register_models()
metadata = Base.metadata
