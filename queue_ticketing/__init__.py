"""The central ticket and case service."""
