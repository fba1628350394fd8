"""Shared assets of Gastvrij: fonts, icons, sounds, and the one translation mechanism."""
