"""The project's Python tools (generator, publish, GX validation, charts, benchmark).

Run each from the repository root as a module, e.g. ``.venv/bin/python -m scripts.publish --help``;
tools import each other through this package (``from scripts.settings import ...``).
"""
