-- organizations: columns, key types, triggers, indexes and the subscription enum.
BEGIN;
SELECT plan(11);

SELECT * FROM tests.table_is(
    'organizations', 'id',
    ARRAY[
        'id', 'name', 'billing_email', 'is_subscribed', 'subscription_status', 'created_at',
        'updated_at'
    ],
    ARRAY['pk_organizations']
);
SELECT col_type_is('public', 'organizations', 'id', 'uuid', 'organizations.id is a uuid');
SELECT col_type_is(
    'public', 'organizations', 'subscription_status', 'subscription_status',
    'organizations.subscription_status is the subscription_status enum'
);
SELECT col_type_is(
    'public', 'organizations', 'updated_at', 'timestamp with time zone',
    'organizations.updated_at is a timestamptz'
);
SELECT col_not_null(
    'public', 'organizations', 'billing_email', 'organizations.billing_email is required'
);
SELECT triggers_are(
    'public', 'organizations', ARRAY['organizations_set_updated_at'],
    'organizations has exactly the updated_at trigger'
);
SELECT trigger_is(
    'public', 'organizations', 'organizations_set_updated_at', 'public', 'set_updated_at',
    'organizations_set_updated_at runs set_updated_at()'
);
SELECT enum_has_labels(
    'public', 'subscription_status', ARRAY['trialing', 'active', 'past_due', 'canceled'],
    'subscription_status has exactly trialing, active, past_due, canceled in order'
);

SELECT * FROM finish();
ROLLBACK;
