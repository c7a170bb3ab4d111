"""Hand-annotated NLP gold set, its annotation tool (see README.md here) and the scorer (python -m benchmarks.nlp_eval)."""
