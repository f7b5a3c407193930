"""Diagnose and plan: the maturity diagnostic, the anonymous agent survey and the use-case
portfolio in three circles (pages under /pilotage and the public /enquete/<jeton>)."""
