#include "collectors/delivery/handoff_reply.h"

namespace mailrep {
namespace {

constexpr size_t kMaxIdBytes = 32;

bool IsIdChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-';
}

// The id right after `pos` in `reply`, or empty when it is no id (too long,
// or followed by something other than the end, a space, ')' or ',').
std::string_view IdAt(std::string_view reply, size_t pos) {
  size_t end = pos;
  while (end < reply.size() && IsIdChar(reply[end])) ++end;
  if (end == pos || end - pos > kMaxIdBytes) return {};
  if (end < reply.size() && reply[end] != ' ' && reply[end] != ')' && reply[end] != ',') return {};
  return reply.substr(pos, end - pos);
}

std::string_view LastAfter(std::string_view reply, std::string_view marker) {
  size_t at = reply.rfind(marker);
  return at == std::string_view::npos ? std::string_view() : IdAt(reply, at + marker.size());
}

}  // namespace

std::string_view HandoffQueueId(std::string_view reply) {
  std::string_view id = LastAfter(reply, "queued as ");
  if (id.empty()) id = LastAfter(reply, "OK id=");
  return id;
}

}  // namespace mailrep
