"""Temporal workflows: deterministic, no database library, no infra (checked by import-linter)."""

from app.workflows.retention import RetentionPruneWorkflow

__all__ = ["RetentionPruneWorkflow"]
