"""Tests of civia.meetings and the speech providers."""
