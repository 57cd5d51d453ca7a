-- organization_trials: columns, the key that is also the foreign key to organizations (with
-- its cascade), the period check, no triggers, and the runtime role's privileges.
BEGIN;
SELECT plan(13);

SELECT * FROM tests.table_is(
    'organization_trials', 'organization_id',
    ARRAY['organization_id', 'started_at', 'ends_at', 'created_at'],
    ARRAY['pk_organization_trials']
);
SELECT fk_ok(
    'public', 'organization_trials', 'organization_id', 'public', 'organizations', 'id',
    'organization_trials.organization_id references organizations.id'
);
SELECT col_type_is('public', 'organization_trials', 'ends_at', 'timestamp with time zone',
                   'organization_trials.ends_at is a timestamptz');
SELECT triggers_are(
    'public', 'organization_trials', ARRAY[]::name[],
    'organization_trials has no triggers (a trial is never updated)'
);

CREATE TEMP TABLE trial_org ON COMMIT DROP AS SELECT tests.create_organization() AS id;

SELECT lives_ok(
    $$INSERT INTO organization_trials (organization_id, started_at, ends_at)
      SELECT id, now(), now() + interval '14 days' FROM trial_org$$,
    'a trial that ends after it starts is stored'
);
SELECT tests.throws_constraint_ok(
    $$INSERT INTO organization_trials (organization_id, started_at, ends_at)
      SELECT id, now(), now() + interval '1 day' FROM trial_org$$,
    '23505', 'pk_organization_trials',
    'an organization has at most one trial'
);
SELECT tests.throws_constraint_ok(
    $$INSERT INTO organization_trials (organization_id, started_at, ends_at)
      VALUES (tests.create_organization(), now(), now())$$,
    '23514', 'ck_organization_trials_ends_after_start',
    'a trial that ends when it starts is refused'
);
SELECT tests.throws_constraint_ok(
    $$INSERT INTO organization_trials (organization_id, started_at, ends_at)
      VALUES (gen_random_uuid(), now(), now() + interval '1 day')$$,
    '23503', 'fk_organization_trials_organization_id_organizations',
    'a trial of an organization that does not exist is refused'
);
DELETE FROM organizations WHERE id = (SELECT id FROM trial_org);
SELECT is_empty(
    $$SELECT 1 FROM organization_trials WHERE organization_id = (SELECT id FROM trial_org)$$,
    'deleting an organization deletes its trial (ON DELETE CASCADE)'
);
SELECT table_privs_are(
    'public', 'organization_trials', 'strata_runtime', ARRAY['SELECT', 'INSERT'],
    'strata_runtime may SELECT and INSERT trials, never UPDATE or DELETE them'
);

SELECT * FROM finish();
ROLLBACK;
