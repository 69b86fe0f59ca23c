#include "collectors/metric_reference.h"

namespace mailrep {

const std::vector<MetricDoc>& AllMetricDocs() {
  static const std::vector<MetricDoc> docs = {
      // The exporter itself.
      {"exporter", "mailrep_build_info", "gauge", "version, revision", "1"},
      {"exporter", "mailrep_config_last_reload_successful", "gauge", "",
       "1 if the last config load succeeded"},
      {"exporter", "mailrep_config_last_reload_success_timestamp_seconds", "gauge", "",
       "when the config last loaded successfully"},
      {"exporter", "mailrep_config_reload_failures_total", "counter", "",
       "reloads rejected (the old config kept running)"},
      {"exporter", "mailrep_exposition_repaired_strings_total", "counter", "",
       "label values or HELP texts repaired (invalid UTF-8, control characters) or series "
       "dropped (invalid names) while serializing; grows while some input stays broken"},
      {"exporter", "mailrep_collector_runs_total", "counter", "collector", "collector runs"},
      {"exporter", "mailrep_collector_errors_total", "counter", "collector",
       "runs that failed or timed out"},
      {"exporter", "mailrep_collector_success", "gauge", "collector",
       "1 if the last run succeeded (present after the first run)"},
      {"exporter", "mailrep_collector_duration_seconds", "gauge", "collector",
       "duration of the last run"},
      {"exporter", "mailrep_collector_last_success_timestamp_seconds", "gauge", "collector",
       "when the last successful run ended: how fresh the cached values are"},
      {"exporter", "process_cpu_seconds_total", "counter", "", "CPU time used"},
      {"exporter", "process_resident_memory_bytes", "gauge", "", "resident memory"},
      {"exporter", "process_virtual_memory_bytes", "gauge", "", "virtual memory"},
      {"exporter", "process_virtual_memory_max_bytes", "gauge", "",
       "address-space limit (absent when unlimited)"},
      {"exporter", "process_start_time_seconds", "gauge", "", "start time, Unix seconds"},
      {"exporter", "process_open_fds", "gauge", "", "open file descriptors"},
      {"exporter", "process_max_fds", "gauge", "", "file-descriptor limit"},

      // host
      {"host", "mailrep_host_info", "gauge", "hostname, fqdn", "1"},
      {"host", "mailrep_host_address_info", "gauge", "ip, family, interface, scope",
       "1 per non-loopback address; scope is `public` or `private`"},
      {"host", "mailrep_mta_info", "gauge", "mta, mta_instance, queue_directory, version",
       "1 per MTA instance found"},
      {"host", "mailrep_host_mtas_detected", "gauge", "", "MTA instances found"},

      // dnsbl
      {"dnsbl", "mailrep_dnsbl_listed", "gauge", "ip, dnsbl",
       "1 listed, 0 not; every target x list from the first run; only a healthy list and a "
       "listing code set it"},
      {"dnsbl", "mailrep_dnsbl_listing_info", "gauge", "ip, dnsbl, code, meaning",
       "1 per listing code returned (ZEN may return several)"},
      {"dnsbl", "mailrep_dnsbl_listed_lists", "gauge", "ip", "lists listing the IP"},
      {"dnsbl", "mailrep_dnsbl_allowlisted", "gauge", "ip, dnsbl",
       "1 if an allowlist (dnswl, Mailspike H1-H5, ...) vouches for the IP"},
      {"dnsbl", "mailrep_dnsbl_last_check_timestamp_seconds", "gauge", "ip",
       "last run in which every healthy list answered for the IP (0 before)"},
      {"dnsbl", "mailrep_dnsbl_domain_listed", "gauge", "domain, dnsbl",
       "as `mailrep_dnsbl_listed`, for a domain on a domain list"},
      {"dnsbl", "mailrep_dnsbl_domain_listing_info", "gauge", "domain, dnsbl, code, meaning",
       "as `mailrep_dnsbl_listing_info`, for a domain"},
      {"dnsbl", "mailrep_dnsbl_domain_listed_lists", "gauge", "domain", "lists listing the domain"},
      {"dnsbl", "mailrep_dnsbl_domain_allowlisted", "gauge", "domain, dnsbl",
       "1 if an allowlist vouches for the domain"},
      {"dnsbl", "mailrep_dnsbl_domain_last_check_timestamp_seconds", "gauge", "domain",
       "last run in which every healthy list answered for the domain"},
      {"dnsbl", "mailrep_dnsbl_list_healthy", "gauge", "dnsbl",
       "1 if the list passed its RFC 5782 test points this run"},
      {"dnsbl", "mailrep_dnsbl_list_info", "gauge", "dnsbl, severity",
       "1 per configured list; severity `major` or `minor`, for alert routing"},
      {"dnsbl", "mailrep_dnsbl_lookup_errors_total", "counter", "dnsbl, reason",
       "`timeout`, `servfail`, `refused`, `refusal_code` (the list's own error answer: fix the "
       "resolver or the volume), `unexpected_answer`, `malformed`, `other`"},
      {"dnsbl", "mailrep_dnsbl_targets", "gauge", "kind", "IPs / domains being checked"},

      // spf
      {"spf", "mailrep_spf_result", "gauge", "identity, domain, ip, result",
       "one-hot over none, neutral, pass, fail, softfail, temperror, permerror: what a receiver "
       "would get; identity is `mfrom` (envelope domain) or `helo`"},
      {"spf", "mailrep_spf_dns_lookups", "gauge", "identity, domain, ip",
       "DNS-querying terms the evaluation used (the limit is 10)"},
      {"spf", "mailrep_spf_void_lookups", "gauge", "identity, domain, ip",
       "lookups that found nothing (the limit is 2)"},
      {"spf", "mailrep_spf_record_info", "gauge", "domain, record", "1, the SPF record text"},
      {"spf", "mailrep_spf_warning_info", "gauge", "domain, warning",
       "1 per common mistake: `pass_all`, `neutral_all`, `no_all`, `redirect_with_all`, "
       "`ptr_mechanism`, `ptr_macro`, `wide_network`, `lookups_near_limit`, `void_lookup`, "
       "`large_answer`, `multiple_records`, `include_without_record`, `obsolete_modifier`"},
      {"spf", "mailrep_senderid_result", "gauge", "ip, domain, result",
       "Sender ID (RFC 4406) `mfrom` result, one-hot like `mailrep_spf_result`; `pra` needs "
       "message headers and is not evaluated"},
      {"spf", "mailrep_senderid_record_present", "gauge", "domain",
       "1 when an `spf2.0` record covers the `mfrom` scope; 0 when Sender ID falls back to "
       "`v=spf1`"},

      // dkim
      {"dkim", "mailrep_dkim_key_status", "gauge", "domain, selector, status",
       "one-hot: valid, missing, revoked, weak, invalid, mismatch, dns_error"},
      {"dkim", "mailrep_dkim_key_bits", "gauge", "domain, selector",
       "RSA modulus bits, 256 for ed25519, 0 when no key was decoded"},
      {"dkim", "mailrep_dkim_key_testing", "gauge", "domain, selector",
       "1 when the record still says `t=y`"},
      {"dkim", "mailrep_dkim_signing_key_status", "gauge", "domain, selector, status",
       "one-hot: match, mismatch, unreadable, not_checked (the configured private key file "
       "against the published key)"},

      // dmarc
      {"dmarc", "mailrep_dmarc_status", "gauge", "domain, status",
       "one-hot: valid, missing, invalid, multiple, dns_error"},
      {"dmarc", "mailrep_dmarc_record_valid", "gauge", "domain", "1 when the status is valid"},
      {"dmarc", "mailrep_dmarc_policy", "gauge", "domain, policy",
       "one-hot over none, quarantine, reject: the policy receivers apply (all 0 when none "
       "applies)"},
      {"dmarc", "mailrep_dmarc_pct", "gauge", "domain", "the `pct` tag (100 by default)"},
      {"dmarc", "mailrep_dmarc_org_domain_fallback", "gauge", "domain",
       "1 when the record came from the organizational domain"},
      {"dmarc", "mailrep_dmarc_unauthorized_report_destinations", "gauge", "domain",
       "external `rua`/`ruf` destinations that have not authorized the reports"},
      {"dmarc", "mailrep_dmarc_spf_aligned", "gauge", "domain",
       "1 when the configured envelope domains align with the From domain for SPF"},
      {"dmarc", "mailrep_dmarc_dkim_aligned", "gauge", "domain",
       "1 when a configured DKIM `d=` domain aligns with the From domain"},

      // ptr
      {"ptr", "mailrep_ptr_status", "gauge", "ip, status",
       "one-hot: ok, missing, not_forward_confirmed, helo_mismatch, generic, dns_error"},
      {"ptr", "mailrep_ptr_names", "gauge", "ip", "PTR names the IP has"},

      // mta_sts
      {"mta_sts", "mailrep_mta_sts_status", "gauge", "domain, status",
       "one-hot: valid, missing, invalid, fetch_error, mx_mismatch, dns_error"},
      {"mta_sts", "mailrep_mta_sts_mode", "gauge", "domain, mode",
       "one-hot over enforce, testing, none (all 0 without a policy)"},
      {"mta_sts", "mailrep_mta_sts_max_age_seconds", "gauge", "domain", "the policy's `max_age`"},
      {"mta_sts", "mailrep_tls_rpt_status", "gauge", "domain, status",
       "one-hot: valid, missing, invalid, dns_error"},

      // queues: every <mta>_queue collector
      {"*_queue", "mailrep_queue_messages", "gauge", "mta, mta_instance, queue",
       "messages in the queue (0 for an empty one)"},
      {"*_queue", "mailrep_queue_bytes", "gauge", "mta, mta_instance, queue",
       "their total size, as the MTA's own listing shows it"},
      {"*_queue", "mailrep_queue_recipients", "gauge", "mta, mta_instance, queue",
       "recipients still to deliver"},
      {"*_queue", "mailrep_queue_oldest_message_age_seconds", "gauge", "mta, mta_instance, queue",
       "age of the oldest message (absent for an empty queue)"},
      {"*_queue", "mailrep_queue_deferred_messages_by_destination", "gauge",
       "mta, mta_instance, destination",
       "deferred messages per recipient domain (a message counts once per domain, not per "
       "recipient): the top N and `other`"},
      {"*_queue", "mailrep_queue_deferred_messages_by_reason", "gauge", "mta, mta_instance, reason",
       "deferred messages per reason, the classes of `mailrep_delivery_rejections_total`: "
       "blocklist, rate_limit, spf, dkim, dmarc, reputation, content, recipient_unknown, "
       "mailbox_full, tls, dns, connection, policy, other"},
      {"*_queue", "mailrep_queue_scan_errors_total", "counter", "mta, mta_instance, kind",
       "files that vanished, were unreadable, half-written or corrupt during scans (counted "
       "and skipped)"},
      {"*_queue", "mailrep_queue_scan_source_info", "gauge", "mta, mta_instance, source",
       "1, how the queue was read: `spool` (files) or `showq` (Postfix's socket)"},

      // delivery
      {"delivery", "mailrep_deliveries_total", "counter", "mta, sending_ip, status, provider",
       "outbound delivery attempts by outcome: sent, deferred, bounced, expired (local deliveries "
       "are not counted)"},
      {"delivery", "mailrep_delivery_rejections_total", "counter",
       "mta, sending_ip, provider, reason", "deferrals and bounces, classified by the reply"},
      {"delivery", "mailrep_delivery_cited_blocklist_total", "counter", "dnsbl",
       "rejections whose reply names a blocklist"},
      {"delivery", "mailrep_delivery_delay_seconds", "histogram", "mta, status",
       "time from arrival to the delivery attempt's outcome"},
      {"delivery", "mailrep_log_lines_total", "counter", "source, result",
       "log lines read: parsed, ignored, malformed"},
      {"delivery", "mailrep_log_source_up", "gauge", "source",
       "1 while the log file or journal can be read"},

      // /probe responses only
      {"probe", "probe_success", "gauge", "", "1 if the probe's check found no problem"},
      {"probe", "probe_duration_seconds", "gauge", "", "how long the probe took"},
      {"probe", "probe_timeout_seconds", "gauge", "", "the time budget the probe had"},
      {"probe", "mailrep_dnsbl_lookup_failed", "gauge", "dnsbl, reason",
       "1 when the list could not be asked (module `dnsbl`)"},
  };
  return docs;
}

}  // namespace mailrep
