-- domain_events: columns, key types, the update guard, indexes and the status enum.
BEGIN;
SELECT plan(13);

SELECT * FROM tests.table_is(
    'domain_events', 'id',
    ARRAY[
        'id', 'event_type', 'aggregate_type', 'aggregate_id', 'sequence_number', 'payload',
        'correlation_id', 'status', 'attempts', 'occurred_at', 'published_at', 'failed_at',
        'failure_reason', 'created_at'
    ],
    ARRAY[
        'pk_domain_events', 'uq_domain_events_aggregate_type_aggregate_id_sequence_number',
        'ix_domain_events_pending_occurred_at', 'ix_domain_events_published_at',
        'ix_domain_events_failed_at'
    ]
);
SELECT col_type_is(
    'public', 'domain_events', 'sequence_number', 'bigint',
    'domain_events.sequence_number is a bigint'
);
SELECT col_type_is('public', 'domain_events', 'payload', 'jsonb', 'domain_events.payload is jsonb');
SELECT col_type_is(
    'public', 'domain_events', 'status', 'domain_event_status',
    'domain_events.status is the domain_event_status enum'
);
SELECT col_is_unique(
    'public', 'domain_events', ARRAY['aggregate_type', 'aggregate_id', 'sequence_number'],
    'one event per aggregate and sequence number'
);
SELECT triggers_are(
    'public', 'domain_events', ARRAY['domain_events_guard_update'],
    'domain_events has exactly the update guard trigger'
);
SELECT trigger_is(
    'public', 'domain_events', 'domain_events_guard_update', 'public', 'guard_domain_event_update',
    'domain_events_guard_update runs guard_domain_event_update()'
);
SELECT is(
    (SELECT pg_get_expr(indpred, indrelid) FROM pg_index
     WHERE indexrelid = 'public.ix_domain_events_pending_occurred_at'::regclass),
    $$(status = 'pending'::domain_event_status)$$,
    'the pending index covers pending events only'
);
SELECT has_index(
    'public', 'domain_events', 'ix_domain_events_published_at', 'published_at',
    'retention finds published events by an index on published_at'
);
SELECT enum_has_labels(
    'public', 'domain_event_status', ARRAY['pending', 'processing', 'published', 'failed'],
    'domain_event_status has exactly pending, processing, published, failed in order'
);

SELECT * FROM finish();
ROLLBACK;
