"""Actes: délibérations, arrêtés and décisions of several collectivités, side by side.

Import (`importer` for SCDL CSV files, `forms` for one act from a file and a form), the search
page's engine (`search`, `filters`, `lexical`), « Actes similaires » (`similar`), drafting from
acts (`drafting`), reading rules and pooling between collectivités (`access`). Acts are
documents of their tenant's acts collection (`store`), indexed by the documents pipeline.
"""
