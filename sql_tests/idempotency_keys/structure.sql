-- idempotency_keys: columns, keys, indexes, no triggers, the format checks, and the runtime
-- role's privileges (no UPDATE: a key is written once, complete with its result).
BEGIN;
SELECT plan(18);

SELECT * FROM tests.table_is(
    'idempotency_keys', 'id',
    ARRAY['id', 'key', 'command', 'fingerprint', 'result', 'created_at'],
    ARRAY['pk_idempotency_keys', 'uq_idempotency_keys_key', 'ix_idempotency_keys_created_at']
);
SELECT col_type_is(
    'public', 'idempotency_keys', 'result', 'json',
    'idempotency_keys.result is json (kept as written, keys in their order)'
);
SELECT col_is_unique('public', 'idempotency_keys', 'key', 'idempotency_keys.key is unique');
SELECT has_index(
    'public', 'idempotency_keys', 'ix_idempotency_keys_created_at', 'created_at',
    'ix_idempotency_keys_created_at indexes created_at (retention prunes by age)'
);
SELECT triggers_are(
    'public', 'idempotency_keys', ARRAY[]::name[], 'idempotency_keys has no triggers'
);

SELECT lives_ok(
    $$INSERT INTO idempotency_keys (key, command, fingerprint, result)
      VALUES ('order-42:retry_1.a', 'CreateOrganization', repeat('0f', 32), '{"id": 1}')$$,
    'a well-formed key is stored'
);
SELECT tests.throws_constraint_ok(
    $$INSERT INTO idempotency_keys (key, command, fingerprint, result)
      VALUES ('has space', 'CreateOrganization', repeat('0f', 32), '{}')$$,
    '23514', 'ck_idempotency_keys_key_format',
    'a key with a space is refused'
);
SELECT tests.throws_constraint_ok(
    format(
        $$INSERT INTO idempotency_keys (key, command, fingerprint, result)
          VALUES (%L, 'CreateOrganization', repeat('0f', 32), '{}')$$,
        repeat('k', 129)
    ),
    '23514', 'ck_idempotency_keys_key_format',
    'a key longer than 128 characters is refused'
);
SELECT tests.throws_constraint_ok(
    $$INSERT INTO idempotency_keys (key, command, fingerprint, result)
      VALUES ('k0', 'create organization', repeat('0f', 32), '{}')$$,
    '23514', 'ck_idempotency_keys_command_format',
    'a command that is not a class name is refused'
);
SELECT tests.throws_constraint_ok(
    $$INSERT INTO idempotency_keys (key, command, fingerprint, result)
      VALUES ('k1', 'CreateOrganization', 'not-a-sha256', '{}')$$,
    '23514', 'ck_idempotency_keys_fingerprint_format',
    'a fingerprint that is not 64 lower-case hex digits is refused'
);
SELECT tests.throws_constraint_ok(
    $$INSERT INTO idempotency_keys (key, command, fingerprint, result)
      VALUES ('k2', 'CreateOrganization', repeat('0f', 32), '[1]')$$,
    '23514', 'ck_idempotency_keys_result_is_object',
    'a result that is not a JSON object is refused'
);
SELECT table_privs_are(
    'public', 'idempotency_keys', 'strata_runtime', ARRAY['SELECT', 'INSERT', 'DELETE'],
    'strata_runtime may SELECT, INSERT and DELETE idempotency keys, never UPDATE them'
);
SELECT ok(
    has_column_privilege('strata_runtime', 'idempotency_keys', 'id', 'UPDATE'),
    'strata_runtime may update id only, which is what lets the prune lock rows (FOR UPDATE)'
);
SELECT is_empty(
    $$SELECT column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = 'idempotency_keys' AND column_name <> 'id'
        AND has_column_privilege('strata_runtime', 'idempotency_keys', column_name, 'UPDATE')$$,
    'strata_runtime may update no other column: a key, its request and its result are final'
);
SET LOCAL ROLE strata_runtime;
SELECT throws_ok(
    $$UPDATE idempotency_keys SET result = '{}' WHERE key = 'order-42:retry_1.a'$$,
    '42501', NULL,
    'strata_runtime cannot rewrite a stored result'
);
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
