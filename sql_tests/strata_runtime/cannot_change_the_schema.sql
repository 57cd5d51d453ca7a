-- As strata_runtime, CREATE (temporary tables too), ALTER and DROP are refused (SQLSTATE 42501).
BEGIN;
SELECT plan(11);

SET LOCAL ROLE strata_runtime;
SELECT is(current_user, 'strata_runtime', 'the assertions below run as strata_runtime');

SELECT throws_ok(
    $$CREATE TABLE public.runtime_scratch (id int)$$, '42501', NULL,
    'strata_runtime cannot create a table in public'
);
SELECT throws_ok(
    $$CREATE TEMPORARY TABLE runtime_scratch (id int)$$, '42501', NULL,
    'strata_runtime cannot create a temporary table'
);
SELECT throws_ok(
    $$CREATE FUNCTION public.runtime_scratch() RETURNS int LANGUAGE sql AS 'SELECT 1'$$,
    '42501', NULL,
    'strata_runtime cannot create a function in public'
);
SELECT throws_ok(
    $$CREATE SCHEMA runtime_scratch$$, '42501', NULL,
    'strata_runtime cannot create a schema'
);
SELECT throws_ok(
    $$CREATE INDEX runtime_scratch ON organizations (name)$$, '42501', NULL,
    'strata_runtime cannot create an index'
);
SELECT throws_ok(
    $$ALTER TABLE organizations ADD COLUMN runtime_scratch int$$, '42501', NULL,
    'strata_runtime cannot add a column'
);
SELECT throws_ok(
    $$ALTER TABLE users DROP CONSTRAINT uq_users_email$$, '42501', NULL,
    'strata_runtime cannot drop a constraint'
);
SELECT throws_ok(
    $$ALTER FUNCTION set_updated_at() RENAME TO runtime_scratch$$, '42501', NULL,
    'strata_runtime cannot alter a trigger function'
);
SELECT throws_ok(
    $$DROP TABLE auth_audit_events$$, '42501', NULL,
    'strata_runtime cannot drop a table'
);
SELECT throws_ok(
    $$DROP FUNCTION reject_audit_event_update() CASCADE$$, '42501', NULL,
    'strata_runtime cannot drop a trigger function'
);

SELECT * FROM finish();
ROLLBACK;
