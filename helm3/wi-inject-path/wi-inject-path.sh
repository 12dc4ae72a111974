#!/bin/sh
# wi-inject-path.sh - the Helm 3 plugin's entry point: runs scripts/plugin-build.sh
# with the same arguments, found beside this file (the release tarball's layout)
# or two levels up (helm3/wi-inject-path/ in a checkout).
dir=$(cd -P -- "$(dirname -- "$0")" 2>/dev/null && pwd -P) || dir=${HELM_PLUGIN_DIR:-.}
for s in "$dir/scripts/plugin-build.sh" "$dir/../../scripts/plugin-build.sh"; do
    [ -f "$s" ] && exec sh "$s" "$@"
done
echo "wi-inject-path: ERROR: no scripts/plugin-build.sh in $dir or $dir/../..: the plugin is incomplete, install it again" >&2
exit 1
