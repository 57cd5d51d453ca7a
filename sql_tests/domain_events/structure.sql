-- domain_events: columns, key types, the update guard, indexes, the lease check and the
-- status enum.
BEGIN;
SELECT plan(18);

SELECT * FROM tests.table_is(
    'domain_events', 'id',
    ARRAY[
        'id', 'event_type', 'aggregate_type', 'aggregate_id', 'sequence_number', 'payload',
        'correlation_id', 'status', 'attempts', 'occurred_at', 'published_at', 'failed_at',
        'failure_reason', 'created_at', 'available_at', 'locked_until', 'last_error'
    ],
    ARRAY[
        'pk_domain_events', 'uq_domain_events_aggregate_type_aggregate_id_sequence_number',
        'ix_domain_events_pending_available_at', 'ix_domain_events_processing_locked_until',
        'ix_domain_events_undelivered_stream', 'ix_domain_events_published_at',
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
SELECT col_default_is(
    'public', 'domain_events', 'available_at', 'now()',
    'a new event is available at once'
);
SELECT is(
    (SELECT pg_get_expr(indpred, indrelid) FROM pg_index
     WHERE indexrelid = 'public.ix_domain_events_pending_available_at'::regclass),
    $$(status = 'pending'::domain_event_status)$$,
    'the claim finds pending events by an index of pending events only'
);
SELECT is(
    (SELECT pg_get_expr(indpred, indrelid) FROM pg_index
     WHERE indexrelid = 'public.ix_domain_events_processing_locked_until'::regclass),
    $$(status = 'processing'::domain_event_status)$$,
    'the claim finds expired leases by an index of processing events only'
);
SELECT is(
    (SELECT pg_get_expr(indpred, indrelid) FROM pg_index
     WHERE indexrelid = 'public.ix_domain_events_undelivered_stream'::regclass),
    $$(status = ANY (ARRAY['pending'::domain_event_status, 'processing'::domain_event_status]))$$,
    'the per-aggregate order check reads undelivered events only'
);
SELECT tests.throws_constraint_ok(
    $$INSERT INTO domain_events (event_type, aggregate_type, aggregate_id, sequence_number,
                                 payload, status, attempts, occurred_at)
      VALUES ('organization.created', 'organization', gen_random_uuid(), 1, '{}',
              'processing', 1, now())$$,
    '23514', 'ck_domain_events_lease_matches_status',
    'a processing event without a lease is refused'
);
SELECT tests.throws_constraint_ok(
    $$INSERT INTO domain_events (event_type, aggregate_type, aggregate_id, sequence_number,
                                 payload, occurred_at, locked_until)
      VALUES ('organization.created', 'organization', gen_random_uuid(), 1, '{}',
              now(), now() + interval '1 minute')$$,
    '23514', 'ck_domain_events_lease_matches_status',
    'a pending event with a lease is refused'
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
