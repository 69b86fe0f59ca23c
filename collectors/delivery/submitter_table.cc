#include "collectors/delivery/submitter_table.h"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <utility>

#include "collectors/delivery/log_text.h"
#include "exporter/util/json_string.h"

namespace mailrep {

std::vector<SubmitterRow> SubmitterTable(const MessageHistory& history) {
  struct Tally {
    SubmitterRow row;
    std::set<std::string, std::less<>> clients;
  };
  std::map<std::pair<SubmitterKind, std::string>, Tally, std::less<>> by_key;
  std::set<std::string, std::less<>> recipients;  // reused per message
  for (const LoggedMessage& m : history.messages()) {
    bool any = false, deferred = false, bounced = false;
    recipients.clear();
    for (const LoggedOutcome& o : m.outcomes) {
      if (history.IsHandoff(o)) continue;
      any = true;
      deferred = deferred || o.status == DeliveryStatus::kDeferred;
      bounced =
          bounced || o.status == DeliveryStatus::kBounced || o.status == DeliveryStatus::kExpired;
      if (!o.recipient.empty()) recipients.insert(AsciiLower(StripAngleBrackets(o.recipient)));
    }
    if (!any) continue;
    const LoggedMessage& origin = history.OriginOf(m);
    auto [kind, name] =
        ResolveLoggedSubmitter(origin.submitter_kind, origin.submitter, origin.client_ip);
    Tally& t = by_key[{kind, std::string(name)}];
    t.row.kind = kind;
    t.row.name.assign(name);
    ++t.row.messages;
    t.row.recipients += recipients.size();
    t.row.deferred += deferred ? 1 : 0;
    t.row.bounced += bounced ? 1 : 0;
    if (!origin.client_ip.empty()) t.clients.insert(origin.client_ip);
  }
  std::vector<SubmitterRow> rows;
  rows.reserve(by_key.size());
  for (auto& [key, t] : by_key) {
    t.row.client_ips = t.clients.size();
    rows.push_back(std::move(t.row));
  }
  std::sort(rows.begin(), rows.end(), [](const SubmitterRow& a, const SubmitterRow& b) {
    if (a.messages != b.messages) return a.messages > b.messages;
    std::string_view ka = SubmitterKindName(a.kind), kb = SubmitterKindName(b.kind);
    if (ka != kb) return ka < kb;
    return a.name < b.name;
  });
  return rows;
}

std::string SubmitterTableJson(const std::vector<SubmitterRow>& rows) {
  std::string j = "{\"submitters\": [";
  for (size_t i = 0; i < rows.size(); ++i) {
    const SubmitterRow& r = rows[i];
    if (i > 0) j += ", ";
    j += "{\"kind\": ";
    AppendJsonString(&j, SubmitterKindName(r.kind));
    j += ", \"name\": ";
    AppendJsonString(&j, r.name);
    j += ", \"messages\": " + std::to_string(r.messages) +
         ", \"recipients\": " + std::to_string(r.recipients) +
         ", \"deferred\": " + std::to_string(r.deferred) +
         ", \"bounced\": " + std::to_string(r.bounced) +
         ", \"client_ips\": " + std::to_string(r.client_ips) + "}";
  }
  return j + "]}";
}

std::string SubmitterTableText(const std::vector<SubmitterRow>& rows) {
  std::vector<std::vector<std::string>> cells = {
      {"submitter", "kind", "messages", "recipients", "deferred", "bounced", "client_ips"}};
  for (const SubmitterRow& r : rows) {
    cells.push_back({r.name.empty() ? "-" : r.name, std::string(SubmitterKindName(r.kind)),
                     std::to_string(r.messages), std::to_string(r.recipients),
                     std::to_string(r.deferred), std::to_string(r.bounced),
                     std::to_string(r.client_ips)});
  }
  std::vector<size_t> widths(cells[0].size(), 0);
  for (const auto& row : cells) {
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  }
  std::string out;
  for (const auto& row : cells) {
    for (size_t c = 0; c < row.size(); ++c) {
      std::string pad(widths[c] - row[c].size(), ' ');
      if (c > 0) out += "  ";
      out += c < 2 ? row[c] + pad : pad + row[c];
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += '\n';
  }
  if (rows.empty()) out += "(no outbound messages)\n";
  return out;
}

}  // namespace mailrep
