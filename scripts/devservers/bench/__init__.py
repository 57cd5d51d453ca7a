"""`scripts/bench`: every performance figure of DESIGN §12 against its goal, in one table.

`rows` lists the rows; `append`, `decode`, `prune`, `workflow` and `checker`
measure them on the stack's throw-away servers (`seeding` fills tables fast,
`latency` times a concurrent writer); `table` judges and renders the results.
"""
