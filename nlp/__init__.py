"""Free-text extraction with spaCy (identifier and name mentions with spans).

The pipeline itself arrives with the NLP issue; its label set is already derived
from the graph model so that it cannot drift from it.
"""

from nlp.labels import entity_labels

__all__ = ["entity_labels"]
