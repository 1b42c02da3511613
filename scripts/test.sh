#!/usr/bin/env bash
# The full test suite, on a fresh machine with only a JDK: installs what the tests need when it is
# missing (Debian's docker-registry, skopeo, htpasswd from apache2-utils, zstd, libfuse2 and fuse3
# for the FUSE mounts, debootstrap for the rootfs the mount tests run programs from; as root, with apt),
# or names it and stops; then runs ./mvnw -B verify (extra arguments are passed to Maven).
# The tests start and stop their own registries on 127.0.0.1; the golden vectors are read from
# ../shared/testdata (SOCI4J_SHARED_TESTDATA overrides). .ci/run calls exactly this script.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v docker-registry >/dev/null || missing+=(docker-registry)
command -v skopeo >/dev/null || missing+=(skopeo)
command -v htpasswd >/dev/null || missing+=(apache2-utils)
command -v zstd >/dev/null || missing+=(zstd)
ldconfig -p 2>/dev/null | grep -q 'libfuse\.so\.2' || missing+=(libfuse2)
command -v fusermount >/dev/null || missing+=(fuse3)
command -v debootstrap >/dev/null || [ -x /usr/sbin/debootstrap ] || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "test.sh: the tests need Debian's ${missing[*]}: install them (apt-get install -y ${missing[*]}) or run this as root" >&2
    exit 2
  fi
  echo "test.sh: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null \
    || { apt-get update >/dev/null && apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; }
fi
exec ./mvnw -B verify "$@"
