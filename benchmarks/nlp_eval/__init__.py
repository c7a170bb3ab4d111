"""Hand-annotated NLP gold set and its annotation tool (see README.md here)."""
