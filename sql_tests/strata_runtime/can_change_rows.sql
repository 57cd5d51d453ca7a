-- As strata_runtime, the application's DML works on every table.
BEGIN;
SELECT plan(12);

SET LOCAL ROLE strata_runtime;
SELECT is(current_user, 'strata_runtime', 'the assertions below run as strata_runtime');

SELECT lives_ok(
    $$SELECT tests.create_user(tests.create_organization())$$,
    'strata_runtime can insert an organization and a user'
);
SELECT lives_ok(
    $$UPDATE organizations SET name = 'Renamed by the runtime role'$$,
    'strata_runtime can update organizations'
);
SELECT lives_ok(
    $$SELECT tests.create_invitation(id) FROM organizations$$,
    'strata_runtime can insert invitations'
);
SELECT lives_ok(
    $$INSERT INTO auth_login_sessions (user_id, expires_at)
      SELECT id, now() + interval '1 hour' FROM users$$,
    'strata_runtime can insert login sessions'
);
SELECT lives_ok(
    $$SELECT tests.create_audit_event(), tests.create_domain_event()$$,
    'strata_runtime can insert audit and domain events'
);
SELECT lives_ok(
    $$INSERT INTO domain_event_streams (aggregate_type, aggregate_id, version)
      VALUES ('organization', '00000000-0000-0000-0000-00000000000a', 1)
      ON CONFLICT (aggregate_type, aggregate_id)
      DO UPDATE SET version = domain_event_streams.version + 1$$,
    'strata_runtime can start a stream as an append does'
);
SELECT lives_ok(
    $$INSERT INTO domain_event_streams (aggregate_type, aggregate_id, version)
      VALUES ('organization', '00000000-0000-0000-0000-00000000000a', 1)
      ON CONFLICT (aggregate_type, aggregate_id)
      DO UPDATE SET version = domain_event_streams.version + 1;
      UPDATE domain_event_streams SET version = version + 1
      WHERE aggregate_type = 'organization'
        AND aggregate_id = '00000000-0000-0000-0000-00000000000a' AND version = 2$$,
    'strata_runtime can move a stream on as an append does, with or without an expected version'
);
SELECT is(
    (SELECT version FROM domain_event_streams
     WHERE aggregate_id = '00000000-0000-0000-0000-00000000000a'),
    3::bigint,
    'strata_runtime reads the version its three appends left'
);
SELECT lives_ok(
    $$INSERT INTO system_settings (key, value) VALUES ('tests.runtime', '{}')
      ON CONFLICT (key) DO UPDATE SET value = excluded.value$$,
    'strata_runtime can upsert a system setting'
);
SELECT isnt_empty(
    $$SELECT FROM invitations JOIN organizations o ON o.id = organization_id
      WHERE o.name = 'Renamed by the runtime role'$$,
    'strata_runtime can read what it wrote'
);
SELECT lives_ok(
    $$DELETE FROM auth_audit_events; DELETE FROM domain_events;
      DELETE FROM organizations WHERE name = 'Renamed by the runtime role'$$,
    'strata_runtime can delete rows (retention prunes, cascades follow)'
);

SELECT * FROM finish();
ROLLBACK;
