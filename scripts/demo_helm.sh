#!/usr/bin/env bash
# demo_helm.sh WASMGUARD WASM_DIR DEMO_DIR - the main job of `make demo`:
# Helm 4 plugins (examples/helm) signed by a publisher, verified and
# installed with consent into a temporary HELM_PLUGINS, then run, each
# invocation in a fresh sandbox, every grant and denial in the audit
# trail.  Everything lives in DEMO_DIR (the plugins, the grants records,
# a throwaway GnuPG home); nothing of the user's Helm or GnuPG is read.
set -eu
wg=$1 wasm=$2 demo=$3
rm -rf "$demo"
mkdir -p "$demo/src" "$demo/pkg"
demo=$(cd "$demo" && pwd)
# Helm's data home: plugins go to $DEMO/plugins, where Helm would look
unset HELM_PLUGINS
export HELM_DATA_HOME=$demo XDG_CONFIG_HOME=$demo/config
export GNUPGHOME=$demo/gnupg
mkdir -m 700 "$GNUPGHOME"
trap 'gpgconf --kill gpg-agent >/dev/null 2>&1 || true' EXIT
audit=$demo/audit.log keyring=$demo/pubring.gpg
plugins="hello:hello fetch:fetch add-label:add_label demo-getter:demo_getter"
show() { echo "\$ wasmguard $*" | sed "s|$demo|\$DEMO|g"; }

for p in $plugins; do
    d=${p%%:*} c=${p##*:}
    mkdir -p "$demo/src/$d"
    cp "examples/helm/$d/plugin.yaml" "$demo/src/$d/"
    cp "$wasm/$c.wasm" "$demo/src/$d/plugin.wasm"
done

echo
echo "== a publisher signs its plugins (wasmguard plugin package --sign; a throwaway"
echo "   Ed25519 key made with gpg), each NAME-VERSION.tgz with its .prov, as Helm's"
printf '%s\n' '%no-protection' 'Key-Type: EDDSA' 'Key-Curve: ed25519' 'Key-Usage: sign' \
    'Name-Real: Demo Publisher' 'Name-Email: demo@wasmguard.test' 'Expire-Date: 0' '%commit' |
    gpg --batch --quiet --no-tty --gen-key 2>/dev/null
gpg --batch --quiet --export >"$keyring"
gpg --batch --quiet --export-secret-keys >"$demo/secring.gpg"
for p in $plugins; do
    "$wg" plugin package "$demo/src/${p%%:*}" -d "$demo/pkg" --sign --key demo@wasmguard.test \
        --keyring "$demo/secring.gpg" >/dev/null
done
(cd "$demo/pkg" && ls)

echo
echo "== the user verifies one as \`helm plugin verify\` does"
show plugin verify '$DEMO/pkg/fetch-0.1.0.tgz' --keyring '$DEMO/pubring.gpg'
"$wg" plugin verify "$demo/pkg/fetch-0.1.0.tgz" --keyring "$keyring"

echo
echo "== installing asks for consent to what a plugin may do; with no terminal and"
echo "   no --yes, nothing is installed"
show plugin install '$DEMO/pkg/fetch-0.1.0.tgz' --keyring '$DEMO/pubring.gpg'
"$wg" plugin install "$demo/pkg/fetch-0.1.0.tgz" --keyring "$keyring" </dev/null 2>&1 |
    sed "s|$demo|\$DEMO|g" || true

echo
echo "== with --yes the grants are approved and recorded; plugins asking for nothing"
echo "   install without a question"
for p in $plugins; do
    d=${p%%:*}
    "$wg" plugin install "$demo/pkg/$d-0.1.0.tgz" --keyring "$keyring" --yes </dev/null |
        sed "s|$demo|\$DEMO|g"
done
show plugin list
"$wg" plugin list

echo
echo "== a cli/v1 plugin: the host's environment (HOME, a cloud secret) never reaches it"
show plugin run hello world
AWS_SECRET_ACCESS_KEY=hunter2 "$wg" plugin run --audit "$audit" hello world

echo
echo "== a postrenderer/v1 plugin: manifests in on stdin, out on stdout"
show post-render add-label prod
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\n' |
    "$wg" post-render --audit "$audit" add-label prod

echo
echo "== a getter/v1 plugin, chosen by the URL's scheme"
show get demo://charts/mychart-0.1.0.tgz
"$wg" get --audit "$audit" demo://charts/mychart-0.1.0.tgz

echo
echo "== a plugin allowed only charts.example.com asks for another host: refused"
show plugin run fetch https://evil.example.net/steal
"$wg" plugin run --audit "$audit" fetch https://evil.example.net/steal || true

echo
echo "== its plugin.yaml edited to allow that host too: the run is refused, since the"
echo "   user approved only charts.example.com"
sed -i 's/^    - charts.example.com$/    - charts.example.com\n    - evil.example.net/' \
    "$demo/plugins/fetch/plugin.yaml"
show plugin run fetch https://evil.example.net/steal
"$wg" plugin run --audit "$audit" fetch https://evil.example.net/steal || true

echo
echo "== the audit trail (\$DEMO/audit.log) holds every grant and every denial,"
echo "   $(wc -l <"$audit") events; the requests, and what each plugin was denied:"
grep -E '"kind":"http"|"allowed":false' "$audit" | grep -v createTempDir || true
