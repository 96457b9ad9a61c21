{{/* The name of every object of this release. */}}
{{- define "payments-operator.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The service account the operator runs as. */}}
{{- define "payments-operator.serviceAccountName" -}}
{{- default (include "payments-operator.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{/* Recommended labels. */}}
{{- define "payments-operator.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: payments
{{- end -}}

{{/* The labels that select the operator's pods. */}}
{{- define "payments-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
