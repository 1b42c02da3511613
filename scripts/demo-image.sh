#!/usr/bin/env bash
# The main job: open files inside a remote image without pulling it, against a real registry
# started here on 127.0.0.1 (Debian's docker-registry; skopeo moves the image into it).
#
# 1. builds soci4j; 2. installs docker-registry and skopeo when missing (needs root and apt);
# 3. starts a registry on 127.0.0.1 with its config and storage under target/demo-image;
# 4. builds a 3-layer image from files on this machine (/usr/share/doc, the JDK, an app layer with
#    whiteouts) and pushes it with skopeo; 5. `soci convert` makes it a SOCI-enabled image
#    (SOCI index v2, what AWS Fargate reads) tagged 1-soci; 6. `soci cat` reads /etc/os-release
#    through the index, printing how few bytes it fetched.
set -euo pipefail
cd "$(dirname "$0")/.."
work=target/demo-image
port=${SOCI_DEMO_PORT:-5123}
registry=127.0.0.1:$port

if ! command -v docker-registry >/dev/null || ! command -v skopeo >/dev/null; then
  if [ "$(id -u)" != 0 ]; then
    echo "demo-image: needs Debian's docker-registry and skopeo (apt-get install docker-registry skopeo)" >&2
    exit 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends docker-registry skopeo >/dev/null \
    || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends docker-registry skopeo >/dev/null; }
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "demo-image: port $port is in use; set SOCI_DEMO_PORT" >&2
  exit 1
fi

./mvnw -q -B package -DskipTests
rm -rf "$work"
mkdir -p "$work/registry"
cat > "$work/registry/config.yml" <<EOF
version: 0.1
storage: {filesystem: {rootdirectory: $PWD/$work/registry/data}, delete: {enabled: true}}
http: {addr: $registry}
log: {level: error}
EOF
docker-registry serve "$work/registry/config.yml" > "$work/registry/log" 2>&1 &
registry_pid=$!
trap 'kill $registry_pid 2>/dev/null; wait $registry_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done

soci() { java -jar soci-cli/target/soci.jar "$@"; }
echo "== building a 3-layer image from files on this machine"
java -cp soci-cli/target/soci.jar io.soci4j.cli.DemoImage "$work/layout"
skopeo --insecure-policy copy -q --dest-tls-verify=false "oci:$work/layout:1" "docker://$registry/demo:1"
soci inspect --plain-http "$registry/demo:1"
echo "== soci convert (SOCI-enabled image index digest, tagged 1-soci)"
soci convert --plain-http "$registry/demo:1" 1-soci
echo "== soci ls /etc"
soci ls --plain-http "$registry/demo:1-soci" /etc
echo "== soci cat /etc/os-release (fetch statistics on stderr)"
soci cat --plain-http --stats "$registry/demo:1-soci" /etc/os-release
