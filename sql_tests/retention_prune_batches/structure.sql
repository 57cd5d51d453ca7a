-- retention_prune_batches: columns, indexes, checks, and an append-only runtime role.
BEGIN;
SELECT plan(12);

SELECT * FROM tests.table_is(
    'retention_prune_batches', 'id',
    ARRAY['id', 'run_key', 'target', 'cutoff', 'rows_deleted', 'recorded_at'],
    ARRAY[
        'pk_retention_prune_batches', 'ix_retention_prune_batches_run_key_target',
        'ix_retention_prune_batches_recorded_at'
    ]
);
SELECT has_index(
    'public', 'retention_prune_batches', 'ix_retention_prune_batches_run_key_target',
    ARRAY['run_key', 'target'], 'a run''s totals per target are read by an index'
);
SELECT has_index(
    'public', 'retention_prune_batches', 'ix_retention_prune_batches_recorded_at', 'recorded_at',
    'retention prunes the ledger by an index on recorded_at'
);
SELECT col_default_is(
    'public', 'retention_prune_batches', 'recorded_at', 'now()',
    'an entry is recorded at its transaction''s time'
);
SELECT throws_ok(
    $$INSERT INTO retention_prune_batches (run_key, target, cutoff, rows_deleted)
      VALUES ('run-1', 'audit_events', now(), -1)$$,
    '23514', NULL, 'a batch never deletes a negative number of rows'
);
SELECT lives_ok(
    $$INSERT INTO retention_prune_batches (run_key, target, cutoff, rows_deleted)
      VALUES ('run-1', 'audit_events', now(), 0)$$,
    'an empty last batch is recorded'
);
SELECT throws_ok(
    $$INSERT INTO retention_prune_batches (run_key, target, cutoff, rows_deleted)
      VALUES ('  ', 'audit_events', now(), 1)$$,
    '23514', NULL, 'every entry names its run'
);
SELECT table_privs_are(
    'public', 'retention_prune_batches', 'strata_runtime', ARRAY['SELECT', 'INSERT', 'DELETE'],
    'strata_runtime records, reads and prunes ledger entries but never rewrites one'
);
SELECT column_privs_are(
    'public', 'retention_prune_batches', 'rows_deleted', 'strata_runtime',
    ARRAY['SELECT', 'INSERT'],
    'strata_runtime cannot change how many rows a batch deleted'
);

SELECT * FROM finish();
ROLLBACK;
