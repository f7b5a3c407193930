from civia.web.routes.platform import platform, quotas_admin, sso, sso_admin

__all__ = ["platform", "quotas_admin", "sso", "sso_admin"]
