{{/* Chart name, truncated to the 63 characters of a DNS label. */}}
{{- define "mailrep-exporter.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: release-chart unless the release name contains the chart name. */}}
{{- define "mailrep-exporter.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "mailrep-exporter.namespace" -}}
{{- default .Release.Namespace .Values.namespaceOverride }}
{{- end }}

{{- define "mailrep-exporter.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels the workload's selector, the pods and the Service selector share. */}}
{{- define "mailrep-exporter.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mailrep-exporter.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "mailrep-exporter.labels" -}}
helm.sh/chart: {{ include "mailrep-exporter.chart" . }}
{{ include "mailrep-exporter.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: exporter
{{- if .Values.releaseLabel }}
release: {{ .Release.Name }}
{{- end }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "mailrep-exporter.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "mailrep-exporter.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "mailrep-exporter.image" -}}
{{- $ref := printf "%s/%s" .Values.image.registry .Values.image.repository }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" $ref .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" $ref (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}
{{- end }}

{{/* The exporter config as rendered into the ConfigMap: .Values.config, with
     dns.servers pointed at the unbound sidecar when it is enabled and no
     servers are set. */}}
{{- define "mailrep-exporter.config" -}}
{{- $config := deepCopy (.Values.config | default dict) }}
{{- if .Values.unbound.enabled }}
{{- $dns := get $config "dns" | default dict }}
{{- if not (get $dns "servers") }}
{{- $_ := set $dns "servers" (list (printf "127.0.0.1:%d" (int .Values.unbound.port))) }}
{{- end }}
{{- $_ := set $config "dns" $dns }}
{{- end }}
{{- toYaml $config }}
{{- end }}

{{- define "mailrep-exporter.webConfigSecretName" -}}
{{- .Values.webConfig.existingSecret | default (printf "%s-web-config" (include "mailrep-exporter.fullname" .)) }}
{{- end }}

{{/* A probe from values, with scheme HTTPS when the web config enables TLS. */}}
{{- define "mailrep-exporter.probe" -}}
{{- $probe := deepCopy .probe }}
{{- if and .root.Values.webConfig.enabled .root.Values.webConfig.tls $probe.httpGet }}
{{- $_ := set $probe.httpGet "scheme" "HTTPS" }}
{{- end }}
{{- toYaml $probe }}
{{- end }}
