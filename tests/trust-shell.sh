#!/usr/bin/env bash
# --print-trust writes shell scripts: each must parse in the shells users run it in,
# and when run (against stub az, aws and gcloud functions) must hand the cloud CLIs
# exactly the subjects the input holds, however odd their bytes; prints TAP.
#
# Usage: trust-shell.sh WI_INJECT CASES_DIR PYTHON
set -u

bin=$(realpath "$1")
cases=$(realpath "$2")
python=${3:-python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0 failed=0
ok() { # description, then a command whose status decides
	local what=$1
	shift
	n=$((n + 1))
	if "$@" >"$tmp/why" 2>&1; then
		echo "ok $n - $what"
	else
		failed=$((failed + 1))
		echo "not ok $n - $what"
		sed 's/^/# /' "$tmp/why" | head -20
	fi
}

# The arguments of a case, as run-cases.sh reads them.
case_args() {
	local line
	args=()
	while IFS= read -r line || [ -n "$line" ]; do
		args+=("${line//@CASE@/$1}")
	done <"$1/args"
}

# Every script the golden cases expect parses, in dash (Debian's sh) and bash.
scripts=()
for dir in "$cases"/print-trust-*/; do
	dir=${dir%/}
	[ -f "$dir/status" ] || [ ! -s "$dir/expected.yaml" ] || scripts+=("$dir/expected.yaml")
done
echo "1..$((${#scripts[@]} * 2 + 9))"
for s in "${scripts[@]}"; do
	name=$(basename "$(dirname "$s")")
	ok "$name: sh -n" sh -n "$s"
	ok "$name: bash --posix -n" bash --posix -n "$s"
done

# Runs the script that wi-inject prints for a case in shell $1, with the cloud
# CLIs replaced by functions that log each call: per argument, its length in
# bytes and the argument itself, then a line "." ending the call.
run_script() { # shell case-dir log -> status of the script
	local shell=$1 dir=$2 log=$3
	case_args "$dir"
	(cd "$dir" && "$bin" "${args[@]}" <input.yaml >"$tmp/script.sh") || return 1
	: >"$log"
	cat >"$tmp/run.sh" <<'EOF'
log_call() {
	for a in "$@"; do
		printf '%s\n%s\n' "${#a}" "$a" >>"$CALLS"
	done
	printf '.\n' >>"$CALLS"
}
az() { log_call az "$@"; }
aws() { log_call aws "$@"; }
gcloud() { log_call gcloud "$@"; }
. "$SCRIPT"
EOF
	(cd "$tmp" && env -i PATH="$PATH" LC_ALL=C CALLS="$log" SCRIPT="$tmp/script.sh" \
		IDENTITY_NAME='spaces "backup" $identity' RESOURCE_GROUP="rg-with-'quote'" \
		AKS_OIDC_ISSUER='https://eastus.oic.prod-aks.azure.com/tenant/issuer/' \
		OIDC_PROVIDER='https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE' \
		PROJECT_ID='my-cluster-project' "$shell" "$tmp/run.sh")
}

# Checks the logged calls against the ServiceAccounts named $targets that a PyYAML
# reading of the input holds, in input order.
check_calls() { # case-dir log targets...
	"$python" - "$@" <<'EOF'
import json, re, sys, yaml

case, log, targets = sys.argv[1], sys.argv[2], sys.argv[3:]
want = []
with open(case + "/input.yaml", "rb") as f:
    for doc in yaml.safe_load_all(f):
        for obj in doc.get("items", [doc]) if isinstance(doc, dict) else []:
            meta = obj.get("metadata") or {}
            if obj.get("kind") == "ServiceAccount" and meta.get("name") in targets:
                pair = (meta["namespace"], meta["name"])
                if pair not in want:
                    want.append(pair)
subjects = ["system:serviceaccount:%s:%s" % p for p in want]

calls, call = [], []
data = open(log, "rb").read()
i = 0
while i < len(data):
    nl = data.index(b"\n", i)
    head = data[i:nl]
    if head == b".":
        calls.append(call)
        call = []
        i = nl + 1
        continue
    size = int(head)
    call.append(data[nl + 1:nl + 1 + size].decode())
    i = nl + 1 + size + 1
bad = []
def expect(cond, what):
    if not cond:
        bad.append(what)

azure = [c for c in calls if c[0] == "az"]
if azure:
    names = []
    for c in azure:
        expect(c[1:4] == ["identity", "federated-credential", "create"] and len(c) == 16,
               "az call: %r" % c)
        opts = dict(zip(c[4::2], c[5::2]))
        expect(opts.get("--identity-name") == 'spaces "backup" $identity', "identity: %r" % c)
        expect(opts.get("--resource-group") == "rg-with-'quote'", "group: %r" % c)
        expect(opts.get("--issuer") == "https://eastus.oic.prod-aks.azure.com/tenant/issuer/",
               "issuer: %r" % c)
        expect(opts.get("--audiences") == "api://AzureADTokenExchange", "audience: %r" % c)
        name = opts.get("--name", "")
        expect(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{2,119}", name),
               "credential name against Azure's rule: %r" % name)
        names.append(name)
    expect(len(set(names)) == len(names), "credential names repeat: %r" % names)
    got = [dict(zip(c[4::2], c[5::2])).get("--subject") for c in azure]
    expect(got == subjects, "az subjects %r, input holds %r" % (got, subjects))

gcp = [c for c in calls if c[0] == "gcloud"]
if gcp:
    got = []
    for c in gcp:
        expect(c[1:4] == ["iam", "service-accounts", "add-iam-policy-binding"] and len(c) == 9
               and c[5:7] == ["--role", "roles/iam.workloadIdentityUser"] and c[7] == "--member",
               "gcloud call: %r" % c)
        got.append(c[-1])
    members = ["serviceAccount:my-cluster-project.svc.id.goog[%s/%s]" % p for p in want]
    expect(got == members, "gcloud members %r, input holds %r" % (got, members))

for c in (c for c in calls if c[0] == "aws"):
    expect(c[1:4] == ["iam", "update-assume-role-policy", "--role-name"] and len(c) == 7
           and c[5] == "--policy-document", "aws call: %r" % c)
    policy = json.loads(c[6])
    issuer = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
    st = policy["Statement"]
    expect(policy["Version"] == "2012-10-17" and len(st) == 1, "policy: %r" % policy)
    st = st[0]
    expect(st["Effect"] == "Allow" and st["Action"] == "sts:AssumeRoleWithWebIdentity",
           "statement: %r" % st)
    expect(re.fullmatch(r"arn:aws[a-z-]*:iam::\d{12}:oidc-provider/" + re.escape(issuer),
                        st["Principal"]["Federated"]), "principal: %r" % st["Principal"])
    cond = st["Condition"]["StringEquals"]
    expect(cond.get(issuer + ":sub") == subjects, "aws subjects %r, input holds %r"
           % (cond.get(issuer + ":sub"), subjects))
    expect(issuer + ":aud" in cond, "no audience condition: %r" % cond)

expect(calls, "no call was made")
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
EOF
}

for shell in sh bash; do
	quoting=$cases/print-trust-shell-quoting
	ok "$shell: quotes, \$(...), backquotes and line breaks reach az, aws and gcloud intact" \
		eval 'run_script '"$shell"' "$quoting" "$tmp/calls" &&
			check_calls "$quoting" "$tmp/calls" mxp-controller && [ ! -e "$tmp/pwned" ]'
done

names=$cases/print-trust-credential-names
ok "credential names follow Azure's rule and never repeat" \
	eval 'run_script sh "$names" "$tmp/calls" && check_calls "$names" "$tmp/calls" c b-c x.y x-y \
		$(sed -n "s/^--service-account=//p" "$names/args")'

live=$cases/print-trust-live-dump
ok "a kubectl get sa -A -o json dump: one credential per namespace" \
	eval 'run_script sh "$live" "$tmp/calls" && check_calls "$live" "$tmp/calls" mxp-controller'

aws=$cases/print-trust-aws-audience
ok "the AWS policy parses as JSON and names every subject" \
	eval 'run_script sh "$aws" "$tmp/calls" && check_calls "$aws" "$tmp/calls" vector'

# Namespaces of random bytes (quotes, $, backquotes, backslashes, line breaks, any
# length), the three clouds at once: every one must arrive intact.
random_namespaces() {
	mkdir -p "$tmp/random"
	cp "$quoting/args" "$quoting/config.json" "$tmp/random/"
	"$python" - "$tmp/random/input.yaml" <<'EOF'
import random, sys, yaml
rng = random.Random(20261130)
alphabet = "abcz09-._'\"$`\\ \t\n#;&|()<>{}[]*?!~=%:/\u00e9\u2603"
docs = []
for i in range(200):
    ns = "".join(rng.choice(alphabet) for _ in range(rng.choice([1, 5, 40, 130, 300])))
    docs.append({"apiVersion": "v1", "kind": "ServiceAccount",
                 "metadata": {"name": "mxp-controller", "namespace": ns}})
with open(sys.argv[1], "w") as f:
    yaml.safe_dump_all(docs, f, width=float("inf"), allow_unicode=True)
EOF
	run_script sh "$tmp/random" "$tmp/calls" && check_calls "$tmp/random" "$tmp/calls" mxp-controller
}
ok "200 namespaces of random bytes reach az, aws and gcloud intact" random_namespaces

# An unset variable stops the script before any call.
unset_variable() {
	case_args "$cases/print-trust-azure"
	(cd "$cases/print-trust-azure" && "$bin" "${args[@]}" <input.yaml >"$tmp/script.sh") || return 1
	printf 'az() { echo called >>"%s/called"; }\n. "%s"\n' "$tmp" "$tmp/script.sh" >"$tmp/run.sh"
	rm -f "$tmp/called"
	if env -i PATH="$PATH" RESOURCE_GROUP=rg AKS_OIDC_ISSUER=https://x/ sh "$tmp/run.sh" \
		2>"$tmp/err"; then
		echo "the script ran without IDENTITY_NAME"
		return 1
	fi
	grep -q "IDENTITY_NAME" "$tmp/err" && [ ! -e "$tmp/called" ]
}
ok "without IDENTITY_NAME the script stops before calling az, naming the variable" unset_variable

# -o: the script is written like manifests: whole, or not at all.
output_file() {
	local want
	want=$cases/print-trust-gcp/expected.yaml
	case_args "$cases/print-trust-gcp"
	(cd "$cases/print-trust-gcp" && "$bin" "${args[@]}" -o "$tmp/out.sh" <input.yaml) || return 1
	cmp "$want" "$tmp/out.sh" || return 1
	echo keep >"$tmp/out.sh"
	(cd "$cases/print-trust-gcp" && "$bin" "${args[@]}" -o "$tmp/out.sh" </dev/null) 2>/dev/null
	[ $? -eq 3 ] && [ "$(cat "$tmp/out.sh")" = keep ]
}
ok "-o writes the script, and leaves the file alone when there are no subjects" output_file

# A failure after subjects were found (here: one without a namespace) writes nothing.
no_namespace_writes_nothing() {
	case_args "$cases/print-trust-no-namespace"
	(cd "$cases/print-trust-no-namespace" && "$bin" "${args[@]}" <input.yaml >"$tmp/out" 2>/dev/null)
	[ $? -eq 1 ] && [ ! -s "$tmp/out" ]
}
ok "a subject without a namespace: exit 1 and no partial script" no_namespace_writes_nothing

exit $((failed > 0))
