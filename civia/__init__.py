"""Civia: a sovereign generative-AI workspace for French local governments."""

__version__ = "0.1.0"
