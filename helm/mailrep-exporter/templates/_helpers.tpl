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
     servers are set, and with tlsrptIntake enabled, the intake's
     listen_address, spool_dir and (with tls.secretName) TLS files set in
     collectors.reports.tlsrpt_intake. */}}
{{- define "mailrep-exporter.config" -}}
{{- $config := deepCopy (.Values.config | default dict) }}
{{- if .Values.unbound.enabled }}
{{- $dns := get $config "dns" | default dict }}
{{- if not (get $dns "servers") }}
{{- $_ := set $dns "servers" (list (printf "127.0.0.1:%d" (int .Values.unbound.port))) }}
{{- end }}
{{- $_ := set $config "dns" $dns }}
{{- end }}
{{- if .Values.tlsrptIntake.enabled }}
{{- $intake := .Values.tlsrptIntake }}
{{- $collectors := get $config "collectors" | default dict }}
{{- $reports := get $collectors "reports" | default dict }}
{{- if not (get $reports "enabled") }}
{{- fail "tlsrptIntake.enabled needs config.collectors.reports.enabled: true (the intake feeds the reports collector)" }}
{{- end }}
{{- $conf := get $reports "tlsrpt_intake" | default dict }}
{{- $_ := set $conf "listen_address" (printf ":%d" (int $intake.containerPort)) }}
{{- $_ := set $conf "spool_dir" (printf "%s/tlsrpt" $intake.spool.mountPath) }}
{{- if $intake.tls.secretName }}
{{- $_ := set $conf "tls_cert_file" (printf "%s/tls.crt" $intake.tls.mountPath) }}
{{- $_ := set $conf "tls_key_file" (printf "%s/tls.key" $intake.tls.mountPath) }}
{{- end }}
{{- $_ := set $reports "tlsrpt_intake" $conf }}
{{- $_ := set $collectors "reports" $reports }}
{{- $_ := set $config "collectors" $collectors }}
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
