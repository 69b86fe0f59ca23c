#include "collectors/content/message_analysis.h"

#include <algorithm>
#include <unordered_set>

#include "collectors/content/link_extractor.h"
#include "exporter/util/ascii.h"

namespace mailrep {
namespace {

bool IsLinkBody(const MimePart& part, bool* html) {
  if (part.disposition.token == "attachment") return false;
  *html = part.content_type.token == "text/html";
  return *html || part.content_type.token == "text/plain";
}

void AddLinkDomains(const LinkScan& scan, const PublicSuffixList& psl, size_t max,
                    MessageFindings* f) {
  // A message links the same few hosts again and again; the suffix list is
  // asked once per distinct host (a repeat adds nothing: same domain).
  std::unordered_set<std::string_view> seen;
  for (const std::string& host : scan.hosts) {
    if (!seen.insert(host).second) continue;
    if (psl.IsPublicSuffix(host)) continue;
    std::string domain = psl.OrganizationalDomain(host);
    if (domain.find('.') == std::string::npos) continue;
    if (std::find(f->link_domains.begin(), f->link_domains.end(), domain) !=
        f->link_domains.end()) {
      continue;
    }
    if (f->link_domains.size() >= max) {
      f->links_capped = true;
      return;
    }
    f->link_domains.push_back(std::move(domain));
  }
}

}  // namespace

MessageFindings AnalyzeMessage(std::string_view message, const PublicSuffixList& psl,
                               const ContentOptions& options) {
  MessageFindings f;
  f.size = message.size();
  if (message.size() > options.max_message_bytes) {
    f.too_large = true;
    return f;
  }
  HeaderDefects header_defects;
  MailHeaders headers = ParseMailHeadersLenient(SplitHeaderBody(message).first, &header_defects);
  f.bulk = IsBulk(headers, options.bulk_header);
  f.unsubscribe = CheckUnsubscribe(headers);

  MimeWalk walk = WalkMimeLenient(message, options.mime);
  f.format_problems = FindFormatProblems(message, headers, header_defects, walk);

  LinkScan scan;
  for (const MimePart& part : walk.leaves) {
    bool html = false;
    if (IsLinkBody(part, &html)) ScanLinks(part.body, html, options.max_uris, &scan);
    if (IsAttachment(part)) f.attachments.push_back({ClassifyAttachment(part), part.body.size()});
  }
  f.links_capped = scan.capped;
  std::sort(scan.unconvertible.begin(), scan.unconvertible.end());
  f.unconvertible_link_hosts =
      static_cast<size_t>(std::unique(scan.unconvertible.begin(), scan.unconvertible.end()) -
                          scan.unconvertible.begin());
  AddLinkDomains(scan, psl, options.max_link_domains, &f);
  return f;
}

bool HasContentProblem(const MessageFindings& findings) {
  if (!findings.format_problems.empty()) return true;
  for (const AttachmentFinding& a : findings.attachments) {
    if (IsRiskyAttachment(a.attachment_class)) return true;
  }
  return findings.bulk && !findings.unsubscribe.Compliant();
}

}  // namespace mailrep
