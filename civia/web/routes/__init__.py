"""Thin route modules: parse, authorise, call a data function, render."""
