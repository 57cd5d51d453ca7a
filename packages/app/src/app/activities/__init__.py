"""Temporal activities: reach the database only through core ports, built by `app.bootstrap`."""

from app.activities.retention import RetentionActivities

__all__ = ["RetentionActivities"]
