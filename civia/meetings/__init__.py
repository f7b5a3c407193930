"""Meetings: from a recording to a transcript to signed-off minutes."""
