"""The web pages as a plugin: every router of `civia.web.routes`, with its gate, body limit and
mounting order, and the main navigation.

Route modules are imported when `register_routes` is called (by `create_app`), not when the
plugin is loaded: `civia --help` stays fast."""

from __future__ import annotations

from civia.accounts import roles
from civia.plugins.hookspecs import hookimpl
from civia.plugins.registries import MenuLink, Route
from civia.settings import Settings


@hookimpl
def register_routes(settings: Settings) -> list[Route]:
    from civia.web.routes import (
        acts,
        acts_admin,
        admin,
        assistant_launch,
        assistants,
        auth,
        builder,
        chat,
        doc_admin,
        doc_upload,
        documents,
        gov_fria,
        governance,
        home,
        jobs,
        letters,
        meetings,
        meetings_forms,
        password,
        platform,
        routing,
        tokens,
        vocabulary,
    )

    return [
        # gated=False: routers holding public routes (login, /sante, transparency, sign-on).
        Route(auth.router, gated=False, order=10),
        Route(home.router, gated=False, order=11),
        Route(chat.router, order=20),
        Route(assistant_launch.router, body_limit=assistant_launch.LIMIT, order=21),
        Route(assistants.router, order=22),
        Route(builder.router, order=23),
        Route(tokens.router, order=24),
        Route(password.router, order=24),
        Route(admin.router, order=25),
        Route(letters.router, order=25),
        Route(vocabulary.router, order=25),
        Route(routing.router, order=25),
        Route(jobs.router, order=26),
        Route(documents.router, order=27),
        Route(doc_admin.router, order=28),
        Route(meetings.router, body_limit=meetings_forms.TRANSCRIPT_LIMIT, order=29),
        Route(acts_admin.router, body_limit=acts_admin.LIMIT, order=30),  # /actes/importer…
        Route(acts.router, order=31),  # …before /actes/{act_id}
        # Streamed uploads (policy `FormSession`) check CSRF before writing to disk.
        Route(doc_upload.router, body_limit=doc_upload.LIMIT, order=40),
        Route(meetings_forms.router, body_limit=meetings_forms.LIMIT, order=41),
        # Shared services: the operators' pages, then single sign-on (before any session).
        Route(platform.platform.router, order=70),
        Route(platform.sso_admin.router, order=71),
        Route(platform.sso.router, gated=False, order=72),
        Route(platform.quotas_admin.router, order=73),
        Route(platform.credentials.router, order=74),
        Route(platform.branding_admin.router, order=75),
        Route(platform.pooling_admin.router, order=76),
        # Governance also holds the public transparency pages (gated=False).
        Route(governance.router, gated=False, body_limit=gov_fria.LIMIT, order=60),
    ]


@hookimpl
def register_menu_links() -> list[MenuLink]:
    return [
        MenuLink("Accueil", "/", order=10),
        MenuLink("Nouvelle conversation", "/conversations/nouvelle", order=20),
        MenuLink("Documents", "/documents", order=30),
        MenuLink("Mes résultats", "/resultats", order=40),
        MenuLink("Réunions", "/reunions", order=50),
        MenuLink("Bibliothèque de prompts", "/prompts", order=60),
        MenuLink("Actes", "/actes", order=70),
        MenuLink("Atelier", "/atelier", roles=roles.BUILDERS, order=80),
        MenuLink("Gouvernance", "/gouvernance", order=90),
        # Links of other plugins come here (default order 100).
        MenuLink("Jetons d'API", "/compte/jetons", order=900),
        MenuLink("Mot de passe", "/compte/mot-de-passe", order=905),
        MenuLink("Utilisateurs", "/admin/utilisateurs", roles=roles.ADMINS, order=910),
        MenuLink("Services", "/admin/services", roles=roles.ADMINS, order=920),
        MenuLink("Modèles", "/admin/fournisseurs", roles=roles.ADMINS, order=930),
        MenuLink("Formules des courriers", "/admin/courriers", roles=roles.ADMINS, order=940),
        MenuLink(
            "Vocabulaire de transcription", "/admin/vocabulaire", roles=roles.ADMINS, order=945
        ),
        MenuLink("Règles de tri", "/admin/routage", roles=roles.ADMINS, order=947),
    ]
