"""Synthetic case corpora with ground truth, to measure resolution (see ``graph.synth.corpus``)."""

from graph.synth.corpus import TRUTH_COLUMNS, generate_corpus, write_corpus
from graph.synth.world import Params, World, build_world

__all__ = ["TRUTH_COLUMNS", "Params", "World", "build_world", "generate_corpus", "write_corpus"]
