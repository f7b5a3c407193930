"""Shared services: the platform operator, collectivités' lifecycle, single sign-on, quotas."""
