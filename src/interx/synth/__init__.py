"""Procedural two-person interactions in the exact Inter-X release layout."""
