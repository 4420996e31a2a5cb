#!/usr/bin/env bash
# The CI job of a Puppet repository that deploys haproxykafka: render haproxy.cfg and the forwarder's config with
# real Puppet and hiera, then prove with haproxykafka-schema check that they, the hiera data and the vendored
# generated files still match the schema, and run HAProxy live on the fragments.
#
#   ci/conformance.sh [text|json|github|junit]        (from the repository root; exit 0 clean, 1 drift, 2 broken)
#
# HAPROXYKAFKA_SCHEMA names the checker (default: haproxykafka-schema on PATH).
set -euo pipefail
format=${1:-text}
checker=${HAPROXYKAFKA_SCHEMA:-haproxykafka-schema}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
puppet_dirs=(--confdir "$out/puppet/conf" --vardir "$out/puppet/var" --codedir "$out/puppet/code" --logdir "$out/puppet/log")

# Renders an EPP whose parameters are hiera keys of one namespace, as the profile class passes them; a parameter
# given in $3 (Puppet hash entries) is passed as is instead.
render() {
    local template=$1 namespace=$2 fixed=${3:-}
    local values
    values=$(sed -n 's/^ *[][A-Za-z]* \$\([a-z_]*\),$/\1/p' "$template" |
        while read -r key; do
            [[ "$fixed" == *"$key =>"* ]] || printf "%s => lookup('%s::%s'), " "$key" "$namespace" "$key"
        done)
    puppet epp render "$template" --hiera_config hiera.yaml "${puppet_dirs[@]}" --values "{ $values $fixed }"
}

render templates/haproxy.cfg.epp profile::cache::haproxy > "$out/haproxy.cfg"
render templates/haproxykafka-config.yaml.epp profile::cache::haproxykafka "hostname => 'ci.example.org'" > "$out/config.yaml"

# The parser table is checked as vendored; the rendered config names its deployed path.
"$checker" check --schema haproxykafka/schema.yaml \
    --generated haproxykafka/generated \
    --haproxy-cfg "$out/haproxy.cfg" \
    --hiera hieradata/common.yaml hieradata/role/cache/text.yaml haproxykafka/generated/puppet/hieradata/*.yaml \
    --forwarder-config "$out/config.yaml" \
    --parser-table haproxykafka/generated/forwarder/parser-table.json \
    --live \
    --format "$format"
