# Sourced by .ci/run (and usable by developers): start the local PostgreSQL cluster if it is not running, create the
# test role and database, and export ROOMTONE_TEST_DATABASE_URL for the PostgreSQL integration suites.
pg_version=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
if [ -n "$pg_version" ]; then
  if ! pg_lsclusters -h 2>/dev/null | grep -q online; then
    pg_lsclusters -h 2>/dev/null | grep -q . || pg_createcluster "$pg_version" main >/dev/null
    pg_ctlcluster "$pg_version" main start
  fi
  su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='roomtone'\"" | grep -q 1 ||
    su postgres -c "psql -qc \"CREATE ROLE roomtone LOGIN SUPERUSER PASSWORD 'roomtone'\""
  su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='roomtone_test'\"" | grep -q 1 ||
    su postgres -c "createdb -O roomtone roomtone_test"
  export ROOMTONE_TEST_DATABASE_URL="postgres://roomtone:roomtone@127.0.0.1:5432/roomtone_test"
fi
