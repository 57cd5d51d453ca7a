-- As strata_runtime, TRUNCATE is refused on every table (it would bypass row triggers). The
-- tables come from the catalog, so a new table is covered without editing this file.
BEGIN;
SELECT plan(
    (SELECT count(*)::int FROM pg_tables
     WHERE schemaname = 'public' AND tablename <> 'alembic_version') + 1
);

SET LOCAL ROLE strata_runtime;
SELECT is(current_user, 'strata_runtime', 'the assertions below run as strata_runtime');

SELECT throws_ok(
    format('TRUNCATE %I', tablename), '42501', NULL,
    format('strata_runtime cannot truncate %s', tablename)
)
FROM pg_tables
WHERE schemaname = 'public' AND tablename <> 'alembic_version'
ORDER BY tablename;

SELECT * FROM finish();
ROLLBACK;
