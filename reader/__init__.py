"""Transcript Reader: read, search and annotate podcast transcripts."""
