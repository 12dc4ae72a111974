{{/*
Common labels. Call with (dict "root" $ "component" "name" "cp" "<id>").
*/}}
{{- define "spaces.labels" -}}
app.kubernetes.io/part-of: spaces
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
app.kubernetes.io/component: {{ .component }}
spaces.upbound.io/control-plane: {{ .cp | quote }}
{{- end -}}

{{/*
Host namespace of a control plane.
*/}}
{{- define "spaces.namespace" -}}
mxp-{{ . }}-system
{{- end -}}
