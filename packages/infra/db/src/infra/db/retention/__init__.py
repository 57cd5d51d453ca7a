"""Retention in infra.db: each prunable table declared once (targets.py), its statements, the SQL.

Executing the statements is the repositories' job (`infra.db.repositories.retention`).
"""
