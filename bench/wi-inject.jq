# The edits wi-inject makes, as a jq program (for kislyuk yq and gojq).
# $cid: the client ID. Objects are matched as wi-inject matches them: the
# ServiceAccount by name, workloads by their pod template's serviceAccountName.
def use_label: .metadata.labels["azure.workload.identity/use"] = "true";
if type != "object" then .
elif .kind == "ServiceAccount" and .metadata.name == "mxp-controller" then
  .metadata.annotations["azure.workload.identity/client-id"] = $cid
elif (.kind | IN("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "ReplicationController"))
     and .spec.template.spec.serviceAccountName == "mxp-controller" then
  .spec.template |= use_label
elif .kind == "CronJob" and .spec.jobTemplate.spec.template.spec.serviceAccountName == "mxp-controller" then
  .spec.jobTemplate.spec.template |= use_label
elif .kind == "Pod" and .spec.serviceAccountName == "mxp-controller" then
  use_label
else . end
