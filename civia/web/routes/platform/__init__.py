from civia.web.routes.platform import (
    branding_admin,
    credentials,
    platform,
    pooling_admin,
    quotas_admin,
    sso,
    sso_admin,
)

__all__ = [
    "branding_admin",
    "credentials",
    "platform",
    "pooling_admin",
    "quotas_admin",
    "sso",
    "sso_admin",
]
