"""Retention: prune expired rows on Temporal, batch by batch, on demand or on a schedule.

`contract` (names and inputs shared by the workflow and its activities),
`workflow` (deterministic; no infra, no database library, no activities),
`activities` (the database through core ports), `runs` and `schedule` (the
Temporal client side), `cli` and `output` (`strata retention …`).
"""
