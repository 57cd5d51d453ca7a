# shellcheck shell=bash
# Sourced by scripts/test, scripts/demo, scripts/bench, scripts/check and
# scripts/pgtap: makes sure uv, the locked Python environment and (when asked)
# the PostgreSQL server, pg_prove and the pgTAP extension are present.
# Installs only what is missing.

STRATA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export STRATA_ROOT
cd "$STRATA_ROOT" || exit 2

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 2; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# uv comes from PyPI. When it is not on PATH it goes into a private virtual
# environment inside the clone (.strata/tools), which works as root and as a
# user, and on distributions whose system Python refuses `pip install`.
ensure_uv() {
  if command -v uv >/dev/null 2>&1; then UV=(uv); return; fi
  local tools="$STRATA_ROOT/.strata/tools"
  if [ ! -x "$tools/bin/uv" ]; then
    say "installing uv from PyPI into .strata/tools"
    python3 -m venv "$tools" || die "python3 -m venv failed (install the python3-venv package)"
    "$tools/bin/python" -m pip install --quiet --disable-pip-version-check uv \
      || die "could not install uv from PyPI"
  fi
  UV=("$tools/bin/uv")
}

ensure_python_env() {
  ensure_uv
  "${UV[@]}" sync --frozen --quiet || die "uv sync --frozen failed (is uv.lock up to date? run: uv lock)"
  # shellcheck disable=SC1091
  source "$STRATA_ROOT/.venv/bin/activate"
}

# The newest PostgreSQL server installed under /usr/lib/postgresql, e.g. 15.
server_major() {
  local bindir
  bindir=$( (pg_config --bindir 2>/dev/null; ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r) \
            | while read -r d; do [ -x "$d/postgres" ] && { echo "$d"; break; }; done)
  [ -n "$bindir" ] || return 1
  "$bindir/postgres" --version | awk '{print $NF}' | cut -d. -f1
}

apt_install() {
  say "installing Debian packages: $*"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || die "apt-get update failed"
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null || die "apt-get install $* failed"
}

# PostgreSQL server binaries are needed only when no DATABASE_URL is given.
ensure_postgres_server() {
  [ -n "${DATABASE_URL:-}" ] && return 0
  server_major >/dev/null && return 0
  if is_root; then apt_install postgresql; return 0; fi
  die "no PostgreSQL server found: install the 'postgresql' package (or set DATABASE_URL)"
}

# pg_prove (a Perl tool) and the pgTAP extension of the server's major version.
ensure_pgtap() {
  local major packages=()
  command -v pg_prove >/dev/null 2>&1 || packages+=(libtap-parser-sourcehandler-pgtap-perl)
  if [ -z "${DATABASE_URL:-}" ]; then
    major=$(server_major) || die "no PostgreSQL server found"
    [ -f "/usr/share/postgresql/$major/extension/pgtap.control" ] || packages+=("postgresql-$major-pgtap")
  fi
  [ ${#packages[@]} -eq 0 ] && return 0
  if is_root; then apt_install "${packages[@]}"; return 0; fi
  die "pgTAP is missing: install the Debian packages ${packages[*]} (e.g. sudo apt-get install ${packages[*]})"
}
