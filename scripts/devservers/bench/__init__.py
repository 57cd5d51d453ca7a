"""`scripts/bench`: every performance figure of DESIGN §12 against its goal, in one table.

`rows` lists the rows; `append`, `decode`, `prune`, `workflow`, `checker` and
`outbox` measure them on the stack's throw-away servers (`seeding` fills tables
fast, `latency` times a concurrent writer, `relay_fleet` runs the outbox relay
in worker processes); `table` judges and renders the results.
"""
