"""The rules. Each module exposes `check(project) -> list[Diagnostic]` for its codes."""
