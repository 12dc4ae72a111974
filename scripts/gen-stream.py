#!/usr/bin/env python3
"""gen-stream.py SIZE_BYTES [SEED] - a synthetic Helm 3 post-renderer input.

Writes to stdout a deterministic multi-document stream of about SIZE_BYTES bytes
(never more, except that the first document is always written whole), shaped like what
Helm 3 hands a post-renderer for the `spaces` chart: every document starts with
`---` and a `# Source: spaces/templates/<file>` comment.

The stream is a series of "releases". Each release renders a handful of
control-plane namespaces `mxp-<id>-system` (ServiceAccount, Deployment and a
garbage-collection CronJob, all running as `mxp-controller`, plus RBAC, a Service,
a Secret and ConfigMaps with long `|` block scalars, some of which look like YAML
and mention mxp-controller), the vector and external-secrets components, and a few
CRDs with deeply nested openAPIV3Schema properties. Inside a release the documents
are in Helm's install order (ServiceAccounts, Secrets, ConfigMaps, CRDs, RBAC,
Services, Deployments, CronJobs), as `helm template` prints them. Comments between
keys, trailing comments, flow maps and sequences and quoted strings are sprinkled
throughout.

Every object's kind/namespace/name is unique, so kustomize accepts the stream.

The same SIZE and SEED always give the same bytes (Python 3 stdlib only; the output
for a smaller SIZE is a prefix, at a document boundary, of that for a larger one).
A one-line summary goes to stderr, e.g.
  gen-stream: bytes=1048529 documents=612 sa=24 workloads=48 namespaces=24
where sa counts the mxp-controller ServiceAccounts and workloads the Deployments
and CronJobs whose pods run as mxp-controller: what wi-inject should edit.
"""

import random
import sys

WORDS = (
    "the of controller resource managed provider connection secret reference field "
    "value object spec status condition reconcile external name namespace when "
    "is set this must be a an to in for with which composite claim composition "
    "revision package function runtime config deployment policy deletion orphan "
    "delete selector label match key labels annotations region zone network subnet "
    "cluster node pool instance identity workload azure storage account access tier "
    "replication encryption certificate issuer ready synced observed generation "
    "time last transition reason message type true false unknown default optional "
    "required immutable cannot changed after creation specifies whether defaults "
    "Kubernetes API server kubelet pod container image pull always never if not "
    "present Zürich naïve région 東京"
).split()

GROUPS = (
    "compute.azure.upbound.io network.azure.upbound.io storage.azure.upbound.io "
    "dbforpostgresql.azure.upbound.io containerservice.azure.upbound.io "
    "keyvault.azure.upbound.io spaces.upbound.io observability.spaces.upbound.io "
    "pkg.crossplane.io apiextensions.crossplane.io external-secrets.io "
    "generators.external-secrets.io"
).split()

KINDS = (
    "VirtualNetwork Subnet StorageAccount Container FlexibleServer FlexibleServerDatabase "
    "KubernetesCluster KubernetesClusterNodePool Vault VaultSecret SharedTelemetryConfig "
    "SpaceBackup SpaceBackupSchedule ControlPlane ProviderConfig ExternalSecret "
    "ClusterSecretStore SecretStore PushSecret Password ACRAccessToken Composition "
    "CompositeResourceDefinition EnvironmentConfig Function Provider DeploymentRuntimeConfig "
    "ManagedResourceActivationPolicy Usage ObjectStore"
).split()

FIELDS = (
    "forProvider initProvider providerConfigRef writeConnectionSecretToRef "
    "deletionPolicy managementPolicies location resourceGroupName addressSpace "
    "dnsServers tags subnetId accountTier accountReplicationType minTlsVersion "
    "networkRules ipRules virtualNetworkSubnetIds identity principalId tenantId "
    "encryption keyVaultKeyId blobProperties versioningEnabled corsRule allowedHeaders "
    "allowedMethods allowedOrigins exposedHeaders maxAgeInSeconds retentionPolicy days "
    "selector matchLabels matchControllerRef policy resolve resolution atProvider "
    "conditions lastTransitionTime observedGeneration reason message status type "
    "nodePool vmSize osDiskSizeGb maxPods autoScaling minCount maxCount taints "
    "secretStoreRef target template engineVersion data dataFrom remoteRef property "
    "decodingStrategy conversionStrategy refreshInterval creationPolicy"
).split()

IMAGES = {
    "mxp-controller": "xpkg.upbound.io/upbound/mxp-controller",
    "vector": "timberio/vector",
    "external-secrets": "ghcr.io/external-secrets/external-secrets",
}

KUBE_SOURCES = ("kubernetes_logs", "host_metrics", "internal_metrics", "prometheus_scrape")


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.crd_serial = 0
        self.release = 0

    # -- small helpers ---------------------------------------------------------

    def words(self, lo, hi):
        r = self.r
        return " ".join(r.choice(WORDS) for _ in range(r.randint(lo, hi)))

    def sentence(self, lo=6, hi=18):
        s = self.words(lo, hi)
        return s[0].upper() + s[1:] + "."

    def hexstr(self, n):
        return "%0*x" % (n, self.r.getrandbits(4 * n))

    def ns_id(self):
        return self.hexstr(8)

    def labels(self, ind, app, component, version):
        p = " " * ind
        out = [
            f"{p}helm.sh/chart: spaces-{version}",
            f"{p}app.kubernetes.io/managed-by: Helm",
            f"{p}app.kubernetes.io/name: {app}",
            f"{p}app.kubernetes.io/instance: spaces",
            f'{p}app.kubernetes.io/version: "{version}"',
            f"{p}app.kubernetes.io/component: {component}",
        ]
        if self.r.random() < 0.3:
            out.insert(2, f"{p}# Labels shared by every object of the release.")
        return out

    def doc(self, source, lines):
        return "---\n# Source: spaces/templates/" + source + "\n" + "\n".join(lines) + "\n"

    # -- namespaced objects ------------------------------------------------------

    def service_account(self, ns, name, component, version, target):
        r = self.r
        lines = ["apiVersion: v1", "kind: ServiceAccount", "metadata:", f"  name: {name}",
                 f"  namespace: {ns}", "  labels:"]
        lines += self.labels(4, name, component, version)
        roll = r.random()
        if roll < 0.35:
            lines += ["  annotations:",
                      '    meta.helm.sh/release-name: "spaces"',
                      f"    meta.helm.sh/release-namespace: {ns}"]
        elif roll < 0.45:
            lines += ["  # no annotations of our own: the post-renderer adds what it needs",
                      "  annotations:"]
        elif roll < 0.5 and not target:
            lines += ["  annotations: {}"]
        if r.random() < 0.6:
            lines.append("automountServiceAccountToken: true")
        if r.random() < 0.2:
            lines += ["imagePullSecrets:", "- name: upbound-pull-secret"]
        return self.doc(f"{component}/serviceaccount.yaml", lines)

    def secret(self, ns, name, version):
        r = self.r
        lines = ["apiVersion: v1", "kind: Secret", "metadata:", f"  name: {name}",
                 f"  namespace: {ns}", "  labels:"]
        lines += self.labels(4, name, "secrets", version)
        lines += ["type: Opaque", "data:"]
        for i in range(r.randint(2, 6)):
            lines.append(f"  key-{i}.pem: {self.hexstr(r.choice((64, 256, 1024)))}")
        return self.doc(f"{name}/secret.yaml", lines)

    def block_yaml_like(self, ind, n):
        """Lines of something that looks like YAML, for a block scalar body."""
        r = self.r
        p = " " * ind
        out = [f"{p}# rendered from values.yaml; not a manifest",
               f"{p}data_dir: /vector-data-dir",
               f"{p}api:", f"{p}  enabled: true", f'{p}  address: "127.0.0.1:8686"',
               f"{p}sources:"]
        while len(out) < n:
            src = r.choice(KUBE_SOURCES)
            out += [f"{p}  {src}_{len(out)}:", f"{p}    type: {src}"]
            roll = r.random()
            if roll < 0.2:
                out += [f"{p}    # decoy, not a workload:", f"{p}    kind: ServiceAccount",
                        f"{p}    metadata:", f"{p}      name: mxp-controller",
                        f"{p}    serviceAccountName: mxp-controller"]
            elif roll < 0.3:
                out += [f"{p}    ---", f"{p}    extra_label_selector: \"app!=vector\""]
            elif roll < 0.5:
                out += [f"{p}    endpoints: [\"http://localhost:{r.randint(8000, 9999)}/metrics\"]",
                        f"{p}    scrape_interval_secs: {r.choice((15, 30, 60))}"]
            else:
                out += [f"{p}    include: [\"{self.words(1, 1)}\", \"{self.words(1, 1)}\"]",
                        f"{p}    read_from: {r.choice(('beginning', 'end'))}",
                        "",
                        f"{p}    # {self.sentence(4, 12)}"]
        return out

    def block_script(self, ind, n):
        r = self.r
        p = " " * ind
        out = [f"{p}#!/bin/sh", f"{p}set -eu"]
        while len(out) < n:
            roll = r.random()
            if roll < 0.3:
                out.append(f"{p}# {self.sentence()}")
            elif roll < 0.5:
                out += [f"{p}if [ -f /etc/{self.words(1, 1)}.conf ]; then",
                        f"{p}  echo \"{self.sentence(3, 8)}\" >&2", f"{p}fi"]
            elif roll < 0.6:
                out.append("")
            else:
                out.append(f"{p}kubectl --namespace \"$NS\" annotate {self.words(1, 1)} "
                           f"key-{r.randint(0, 99)}=\"{self.words(2, 5)}\" --overwrite")
        return out

    def block_json(self, ind, n):
        r = self.r
        p = " " * ind
        out = [f"{p}{{", f'{p}  "title": "{self.words(2, 4)}",', f'{p}  "panels": [']
        while len(out) < n - 2:
            out += [f"{p}    {{",
                    f'{p}      "id": {len(out)},',
                    f'{p}      "type": "{r.choice(("timeseries", "stat", "table"))}",',
                    f'{p}      "targets": [{{"expr": "sum(rate({self.words(1, 1)}_total[5m]))", '
                    f'"legendFormat": "{{{{pod}}}}"}}],',
                    f'{p}      "description": "{self.sentence(5, 20)}"',
                    f"{p}    }},"]
        out += [f"{p}    {{}}", f"{p}  ]", f"{p}}}"]
        return out

    def config_map(self, ns, name, version):
        r = self.r
        lines = ["apiVersion: v1", "kind: ConfigMap", "metadata:", f"  name: {name}",
                 f"  namespace: {ns}", "  labels:"]
        lines += self.labels(4, name, "config", version)
        lines.append("data:")
        for i in range(r.randint(1, 3)):
            n = r.choice((15, 40, 100, 300))
            kind = r.random()
            if kind < 0.5:
                lines.append(f"  config-{i}.yaml: |")
                lines += self.block_yaml_like(4, n)
            elif kind < 0.75:
                lines.append(f"  script-{i}.sh: |")
                lines += self.block_script(4, n)
            else:
                lines.append(f"  dashboard-{i}.json: |-")
                lines += self.block_json(4, n)
        lines.append(f'  LOG_LEVEL: "{r.choice(("info", "debug", "warn"))}"')
        lines.append(f"  FEATURE_FLAGS: 'EnableAlphaSharedTelemetry=true,It''s=on'")
        return self.doc(f"{name}/configmap.yaml", lines)

    def role(self, ns, name, version, cluster=False):
        r = self.r
        kind = "ClusterRole" if cluster else "Role"
        lines = ["apiVersion: rbac.authorization.k8s.io/v1", f"kind: {kind}", "metadata:",
                 f"  name: {name}"]
        if not cluster:
            lines.append(f"  namespace: {ns}")
        lines.append("  labels:")
        lines += self.labels(4, name, "rbac", version)
        lines.append("rules:")
        for _ in range(r.randint(3, 12)):
            grp = r.choice(GROUPS + ["", "apps", "batch", "coordination.k8s.io"])
            res = ", ".join(sorted({r.choice(FIELDS).lower() + "s" for _ in range(r.randint(1, 4))}))
            extra = ', "update", "patch"' if r.random() < 0.5 else ""
            lines += [f'- apiGroups: ["{grp}"]', f"  resources: [{res}]",
                      f'  verbs: ["get", "list", "watch"{extra}]']
        return self.doc(f"rbac/{kind.lower()}.yaml", lines)

    def role_binding(self, ns, name, sa, version):
        lines = ["apiVersion: rbac.authorization.k8s.io/v1", "kind: RoleBinding", "metadata:",
                 f"  name: {name}", f"  namespace: {ns}", "  labels:"]
        lines += self.labels(4, name, "rbac", version)
        lines += ["roleRef:", "  apiGroup: rbac.authorization.k8s.io", "  kind: Role",
                  f"  name: {name}", "subjects:", "- kind: ServiceAccount", f"  name: {sa}",
                  f"  namespace: {ns}"]
        return self.doc("rbac/rolebinding.yaml", lines)

    def service(self, ns, name, version):
        r = self.r
        lines = ["apiVersion: v1", "kind: Service", "metadata:", f"  name: {name}",
                 f"  namespace: {ns}", "  labels:"]
        lines += self.labels(4, name, "service", version)
        lines += ["spec:", "  type: ClusterIP", "  ports:",
                  f"  - {{name: metrics, port: 8080, targetPort: {r.choice(('metrics', 8080))}, protocol: TCP}}",
                  "  - name: webhook", "    port: 9443", "    targetPort: webhook",
                  "  selector:", f"    app: {name}"]
        return self.doc(f"{name}/service.yaml", lines)

    def container(self, ind, name, version, sa_hint):
        r = self.r
        p = " " * ind
        out = [f"{p}- name: {name}", f'{p}  image: "{IMAGES.get(name, IMAGES["mxp-controller"])}:v{version}"',
               f"{p}  imagePullPolicy: IfNotPresent"]
        if r.random() < 0.3:
            out.append(f"{p}  # arguments come from values.controller.args")
        out.append(f"{p}  args:")
        for a in ("--leader-elect", f"--max-reconcile-rate={r.randint(5, 100)}",
                  f"--poll={r.choice(('1m', '10m'))}", "--enable-usages"):
            if r.random() < 0.8:
                out.append(f"{p}  - {a}")
        out.append(f"{p}  env:")
        out += [f"{p}  - name: POD_NAMESPACE", f"{p}    valueFrom:", f"{p}      fieldRef:",
                f"{p}        fieldPath: metadata.namespace"]
        for _ in range(r.randint(2, 8)):
            key = r.choice(FIELDS).upper()
            q = r.random()
            if q < 0.4:
                val = f'"{self.words(1, 4)}"'
            elif q < 0.6:
                val = "'" + self.words(1, 3) + " isn''t escaped'"
            elif q < 0.8:
                val = f'"{r.randint(0, 65535)}"'
            else:
                val = '"with \\"escapes\\" and \\t tabs"'
            out += [f"{p}  - name: {key}_{r.randint(0, 99)}", f"{p}    value: {val}"]
        if sa_hint and r.random() < 0.3:
            out += [f"{p}  - name: SERVICE_ACCOUNT", f"{p}    value: {sa_hint}  # for logging only"]
        out += [f"{p}  ports:", f"{p}  - {{name: metrics, containerPort: 8080, protocol: TCP}}",
                f"{p}  - name: webhook", f"{p}    containerPort: 9443", f"{p}    protocol: TCP",
                f"{p}  readinessProbe:", f"{p}    httpGet:", f"{p}      path: /readyz",
                f"{p}      port: {r.choice((8081, 'health'))}",
                f"{p}    initialDelaySeconds: 5", f"{p}    periodSeconds: 10",
                f"{p}  resources: {{limits: {{cpu: {r.randint(1, 4)}, memory: {r.choice((512, 1024, 2048))}Mi}}, "
                f"requests: {{cpu: {r.randint(50, 500)}m, memory: 128Mi}}}}",
                f"{p}  securityContext:", f"{p}    allowPrivilegeEscalation: false",
                f"{p}    readOnlyRootFilesystem: true",
                f'{p}    capabilities: {{drop: ["ALL"]}}',
                f"{p}  volumeMounts:", f"{p}  - name: tls", f"{p}    mountPath: /tls",
                f"{p}    readOnly: true"]
        return out

    def pod_spec(self, ind, name, sa, version, component):
        r = self.r
        p = " " * ind
        out = []
        if r.random() < 0.4:
            out.append(f"{p}# The identity the pods run as.")
        out.append(f"{p}serviceAccountName: {sa}")
        if r.random() < 0.5:
            out.append(f"{p}automountServiceAccountToken: true")
        out += [f"{p}securityContext: {{runAsNonRoot: true, runAsUser: 65532, seccompProfile: {{type: RuntimeDefault}}}}",
                f"{p}nodeSelector: {{kubernetes.io/os: linux}}"]
        if r.random() < 0.3:
            out += [f"{p}tolerations:", f"{p}- key: \"node-role.kubernetes.io/control-plane\"",
                    f"{p}  operator: Exists", f"{p}  effect: NoSchedule"]
        out.append(f"{p}containers:")
        out += self.container(ind, name, version, sa)
        out += [f"{p}volumes:", f"{p}- name: tls", f"{p}  secret:",
                f"{p}    secretName: {name}-tls", f"{p}    defaultMode: 420"]
        return out

    def pod_template_meta(self, ind, app, component, version):
        r = self.r
        p = " " * ind
        out = [f"{p}metadata:"]
        if r.random() < 0.5:
            out += [f"{p}  annotations:", f"{p}    checksum/config: {self.hexstr(64)}",
                    f'{p}    prometheus.io/scrape: "true"']
        out += [f"{p}  labels:", f"{p}    app: {app}"]
        out += self.labels(ind + 4, app, component, version)
        return out

    def deployment(self, ns, name, sa, component, version):
        r = self.r
        lines = ["apiVersion: apps/v1", "kind: Deployment", "metadata:", f"  name: {name}",
                 f"  namespace: {ns}", "  labels:", f"    app: {name}"]
        lines += self.labels(4, name, component, version)
        lines.append("spec:")
        if r.random() < 0.5:
            lines.append("  # A singleton: leader election keeps it so.")
        lines += [f"  replicas: {r.choice((1, 1, 2, 3))}", "  revisionHistoryLimit: 3",
                  "  selector:", "    matchLabels:", f"      app: {name}",
                  "  strategy:", "    type: RollingUpdate",
                  "    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}", "  template:"]
        lines += self.pod_template_meta(4, name, component, version)
        lines.append("    spec:")
        lines += self.pod_spec(6, name, sa, version, component)
        return self.doc(f"{component}/deployment.yaml", lines)

    def cron_job(self, ns, name, sa, component, version):
        r = self.r
        lines = ["apiVersion: batch/v1", "kind: CronJob", "metadata:", f"  name: {name}",
                 f"  namespace: {ns}", "  labels:"]
        lines += self.labels(4, name, component, version)
        lines += ["spec:", f'  schedule: "{r.randint(0, 59)} */{r.choice((1, 2, 6))} * * *"',
                  "  concurrencyPolicy: Forbid  # one collection at a time",
                  "  successfulJobsHistoryLimit: 1", "  jobTemplate:", "    spec:",
                  "      backoffLimit: 2", "      template:"]
        lines += self.pod_template_meta(8, name, component, version)
        lines += ["        spec:", "          restartPolicy: OnFailure"]
        lines += self.pod_spec(10, "mxp-controller", sa, version, component)
        return self.doc(f"{component}/cronjob-gc.yaml", lines)

    # -- CRDs ------------------------------------------------------------------------

    def desc(self, ind, key="description"):
        r = self.r
        p = " " * ind
        if r.random() < 0.6:
            out = [f"{p}{key}: |-"]
            for _ in range(r.randint(1, 5)):
                out.append(f"{p}  {self.sentence(6, 16)}")
            return out
        return [f"{p}{key}: {self.sentence(4, 12)}"]

    def schema(self, ind, depth, budget):
        """openAPIV3Schema properties, nested; budget is a list [lines left]."""
        r = self.r
        p = " " * ind
        out = [f"{p}properties:"]
        names = r.sample(FIELDS, r.randint(2, 6 if depth < 6 else 3))
        for fname in sorted(names):
            if budget[0] <= 0:
                break
            out.append(f"{p}  {fname}:")
            out += self.desc(ind + 4)
            roll = r.random()
            if depth < 10 and roll < 0.45:
                out.append(f"{p}    type: object")
                out += self.schema(ind + 4, depth + 1, budget)
                if r.random() < 0.3:
                    out.append(f"{p}    required: [{', '.join(sorted(names[:2]))}]")
                if r.random() < 0.15:
                    out.append(f'{p}    x-kubernetes-validations: [{{rule: "self == oldSelf", message: "{fname} is immutable"}}]')
            elif depth < 10 and roll < 0.6:
                out += [f"{p}    type: array", f"{p}    items:", f"{p}      type: object"]
                out += self.schema(ind + 6, depth + 1, budget)
                out.append(f"{p}    x-kubernetes-list-type: atomic")
            elif roll < 0.75:
                out += [f"{p}    type: string", f"{p}    enum:"]
                out += [f"{p}    - {w}" for w in sorted({r.choice(KINDS) for _ in range(r.randint(2, 5))})]
            elif roll < 0.85:
                out += [f"{p}    type: integer", f"{p}    format: int64",
                        f"{p}    minimum: 0", f"{p}    default: {r.randint(0, 600)}"]
            elif roll < 0.9:
                out += [f"{p}    additionalProperties:", f"{p}      type: string",
                        f"{p}    type: object", f"{p}    x-kubernetes-map-type: granular"]
            else:
                out += [f"{p}    type: {r.choice(('string', 'boolean'))}"]
            budget[0] -= len(out)
        return out

    def crd(self, version):
        r = self.r
        self.crd_serial += 1
        kind = r.choice(KINDS)
        group = r.choice(GROUPS)
        plural = kind.lower() + "s" + str(self.crd_serial)
        lines = ["apiVersion: apiextensions.k8s.io/v1", "kind: CustomResourceDefinition",
                 "metadata:", "  annotations:", "    controller-gen.kubebuilder.io/version: v0.16.3",
                 f"  name: {plural}.{group}", "  labels:"]
        lines += self.labels(4, "spaces", "crds", version)
        lines += ["spec:", f"  group: {group}", "  names:", "    categories:", "    - crossplane",
                  "    - managed", f"    - {kind.lower()}", f"    kind: {kind}",
                  f"    listKind: {kind}List", f"    plural: {plural}", f"    singular: {kind.lower()}",
                  "  scope: Cluster", "  versions:"]
        for v in ("v1beta1", "v1beta2")[: r.randint(1, 2)]:
            lines += [
                "  - additionalPrinterColumns:",
                "    - jsonPath: .status.conditions[?(@.type=='Synced')].status",
                "      name: SYNCED", "      type: string",
                "    - jsonPath: .status.conditions[?(@.type=='Ready')].status",
                "      name: READY", "      type: string",
                f"    name: {v}", "    schema:", "      openAPIV3Schema:"]
            lines += self.desc(8)
            lines += ["        type: object"]
            budget = [r.choice((400, 1000, 2000, 4000))]
            lines += self.schema(8, 0, budget)
            lines += ["        required:", "        - spec",
                      "    served: true", f"    storage: {'true' if v == 'v1beta1' else 'false'}",
                      "    subresources:", "      status: {}"]
        return self.doc(f"crds/{group}_{plural}.yaml", lines)

    # -- a release -------------------------------------------------------------------

    def release_docs(self):
        """One release: a list of (text, mxp_sa, mxp_workloads, namespace) in Helm order."""
        r = self.r
        self.release += 1
        version = f"1.{r.randint(9, 14)}.{r.randint(0, 9)}"
        buckets = {k: [] for k in ("sa", "secret", "cm", "crd", "crole", "role", "rb", "svc",
                                   "deploy", "cron")}
        for _ in range(r.randint(3, 8)):
            ns = f"mxp-{self.ns_id()}-system"
            buckets["sa"].append((self.service_account(ns, "mxp-controller", "mxp-controller", version, True), 1, 0, ns))
            if r.random() < 0.3:  # a decoy: same name, other namespace component
                buckets["sa"].append((self.service_account(ns, "mxp-controller-webhook", "mxp-controller", version, False), 0, 0, ns))
            buckets["sa"].append((self.service_account(ns, "vector", "vector", version, False), 0, 0, ns))
            buckets["secret"].append((self.secret(ns, "mxp-controller-tls", version), 0, 0, ns))
            for i in range(r.randint(0, 1)):
                buckets["cm"].append((self.config_map(ns, f"mxp-settings-{i}", version), 0, 0, ns))
            buckets["cm"].append((self.config_map(ns, "vector-config", version), 0, 0, ns))
            buckets["role"].append((self.role(ns, "mxp-controller", version), 0, 0, ns))
            buckets["rb"].append((self.role_binding(ns, "mxp-controller", "mxp-controller", version), 0, 0, ns))
            buckets["svc"].append((self.service(ns, "mxp-controller", version), 0, 0, ns))
            buckets["deploy"].append((self.deployment(ns, "mxp-controller", "mxp-controller", "mxp-controller", version), 0, 1, ns))
            buckets["deploy"].append((self.deployment(ns, "vector", "vector", "vector", version), 0, 0, ns))
            buckets["cron"].append((self.cron_job(ns, "mxp-controller-gc", "mxp-controller", "mxp-controller", version), 0, 1, ns))
        ns = f"external-secrets-{self.release}"
        buckets["sa"].append((self.service_account(ns, "external-secrets", "external-secrets", version, False), 0, 0, ns))
        buckets["deploy"].append((self.deployment(ns, "external-secrets", "external-secrets", "external-secrets", version), 0, 0, ns))
        buckets["crole"].append((self.role(None, f"spaces-{self.release}-crossplane", version, cluster=True), 0, 0, None))
        for _ in range(r.randint(1, 3)):
            buckets["crd"].append((self.crd(version), 0, 0, None))
        out = []
        for k in ("sa", "secret", "cm", "crd", "crole", "role", "rb", "svc", "deploy", "cron"):
            out += buckets[k]
        return out


def main(argv):
    if len(argv) not in (2, 3):
        sys.stderr.write("usage: gen-stream.py SIZE_BYTES [SEED]\n")
        return 2
    try:
        size = int(argv[1])
        seed = int(argv[2]) if len(argv) == 3 else 1
    except ValueError:
        sys.stderr.write("gen-stream.py: SIZE_BYTES and SEED must be integers\n")
        return 2
    g = Gen(seed)
    total = docs = sa = workloads = 0
    namespaces = set()
    out = sys.stdout.buffer
    done = False
    while not done:
        for text, n_sa, n_wl, ns in g.release_docs():
            data = text.encode("utf-8")
            if total + len(data) > size and docs > 0:
                done = True
                break
            out.write(data)
            total += len(data)
            docs += 1
            sa += n_sa
            workloads += n_wl
            if ns and ns.startswith("mxp-"):
                namespaces.add(ns)
    out.flush()
    sys.stderr.write(f"gen-stream: bytes={total} documents={docs} sa={sa} "
                     f"workloads={workloads} namespaces={len(namespaces)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
