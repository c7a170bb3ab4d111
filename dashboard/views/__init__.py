"""One module per dashboard page, each with ``render(store) -> None``; ``dashboard/app.py`` lists them.

(Not named ``pages/``: Streamlit would turn a ``pages`` folder next to the app into its own multipage menu.)
"""
