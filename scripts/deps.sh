#!/usr/bin/env bash
# deps.sh -- installs the Debian packages gilscope needs, now and later
# (the viewer, charts, tests, fuzzing, the benchmark baselines).
#
# Called by `make test`, `make demo`, `make bench` and `make deps`, once per
# make invocation.  Fast (no apt, no network) when everything is present.
# As root it runs apt-get; otherwise it prints the exact command and exits 1.
set -euo pipefail

PACKAGES=(
    build-essential pkg-config
    libsdl2-dev libcairo2-dev libpango1.0-dev libcmocka-dev zlib1g-dev
    fonts-dejavu-core xvfb xauth poppler-utils
    lua5.4 python3
    clang libclang-rt-14-dev
)

# A package counts as present when dpkg has it installed.  python3 also
# counts when a working one is on PATH (pyenv and the like).
installed=""
have() {
    local pkg=$1
    if [ "$pkg" = python3 ] && command -v python3 >/dev/null 2>&1 \
        && python3 -c 'import sys; sys.exit(sys.version_info < (3, 8))' 2>/dev/null; then
        return 0
    fi
    case " $installed " in *" $pkg "*) return 0 ;; esac
    return 1
}
# One dpkg-query for all packages: the names whose status is "ii".
query_installed() {
    installed=$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "$@" 2>/dev/null \
        | awk '$2 == "ii" { print $1 }' | tr '\n' ' ') || true
}

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "deps.sh: this is not a Debian-like system (no dpkg-query)." >&2
    echo "deps.sh: install by hand: ${PACKAGES[*]}" >&2
    exit 1
fi

query_installed "${PACKAGES[@]}"
missing=()
for p in "${PACKAGES[@]}"; do
    have "$p" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "deps.sh: missing Debian packages: ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then
    echo "deps.sh: not root, so not installing them.  Run:" >&2
    echo "    sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}" >&2
    echo "deps.sh: then run make again." >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update >&2
apt-get install -y --no-install-recommends "${missing[@]}" >&2

# Verify, so a half-failed install is reported here and not as a build error.
query_installed "${PACKAGES[@]}"
still=()
for p in "${missing[@]}"; do
    have "$p" || still+=("$p")
done
if [ ${#still[@]} -ne 0 ]; then
    echo "deps.sh: still missing after apt-get install: ${still[*]}" >&2
    exit 1
fi
echo "deps.sh: installed ${missing[*]}" >&2
