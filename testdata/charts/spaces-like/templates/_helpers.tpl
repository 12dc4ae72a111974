{{/*
Common labels for every object. Call with (dict "root" $ "component" "name").
*/}}
{{- define "spaces-like.labels" -}}
app.kubernetes.io/part-of: spaces-like
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- with .component }}
app.kubernetes.io/component: {{ . }}
{{- end }}
{{- end -}}

{{/*
Host namespace of a control plane.
*/}}
{{- define "spaces-like.namespace" -}}
mxp-{{ . }}-system
{{- end -}}
