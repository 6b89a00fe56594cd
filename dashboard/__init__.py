"""The Streamlit dashboard on the published snapshot (read-only).

Run it from the repository root as a module, so ``dashboard`` and ``scripts``
import as packages::

    .venv/bin/python -m streamlit run dashboard/app.py      (or: make dashboard)
"""
