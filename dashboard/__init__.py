"""The Streamlit dashboard (``infringer-graph dashboard``). It reads through ``graph`` functions only."""
