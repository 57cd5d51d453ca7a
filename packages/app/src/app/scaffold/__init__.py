"""`strata scaffold`: new tables and triggers generated in the project's own shapes.

Everything a change needs is rendered and checked in memory first (templates,
anchored edits of the shared modules, ruff), then written at once; a refusal
or a failure on the way writes nothing.
"""
