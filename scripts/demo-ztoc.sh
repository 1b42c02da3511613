#!/usr/bin/env bash
# The main job until the image reader exists: build the CLI, make a gzip layer from files on this
# machine (/usr/share/doc), build its zTOC in one pass, and read one file back through the zTOC,
# checking it against the file on disk.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -ntp package -DskipTests
soci() { java -jar soci-cli/target/soci.jar "$@"; }
work=target/demo
mkdir -p "$work"
tar -C /usr/share -cf - doc 2>/dev/null | gzip -6 > "$work/layer.tar.gz"
echo "layer: $work/layer.tar.gz ($(stat -c %s "$work/layer.tar.gz") bytes)"
soci ztoc build --span-size 1048576 "$work/layer.tar.gz" -o "$work/layer.ztoc"
soci ztoc info "$work/layer.ztoc"
file=$(soci ztoc list "$work/layer.ztoc" | awk '$1 == "reg" && $3 > 1000 && NF == 5 { print $5 }' | tail -n 1)
echo "reading $file through the zTOC"
soci ztoc get-file "$work/layer.tar.gz" "$work/layer.ztoc" "$file" -o "$work/extracted"
cmp "$work/extracted" "/usr/share/$file"
echo "OK: $file ($(stat -c %s "$work/extracted") bytes) matches /usr/share/$file"
