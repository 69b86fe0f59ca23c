#include "collectors/milter/milter_protocol.h"

#include <algorithm>

namespace mailrep {
namespace {

// The flags this filter asks for: skip what it never reads, and no replies
// where it has nothing to say — everywhere but end of message, so the MTA
// streams header fields and body chunks without waiting for the filter.
constexpr uint32_t kWanted = kMilterNoConnect | kMilterNoHelo | kMilterNoUnknown | kMilterNoData |
                             kMilterNoReplyConnect | kMilterNoReplyHelo | kMilterNoReplyMail |
                             kMilterNoReplyRcpt | kMilterNoReplyData | kMilterNoReplyUnknown |
                             kMilterNoReplyHeader | kMilterNoReplyEndOfHeaders | kMilterNoReplyBody;

void PutU32(std::string* out, uint32_t v) {
  out->push_back(static_cast<char>(v >> 24));
  out->push_back(static_cast<char>(v >> 16));
  out->push_back(static_cast<char>(v >> 8));
  out->push_back(static_cast<char>(v));
}

uint32_t GetU32(std::string_view s, size_t at) {
  auto b = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(s[at + i])); };
  return b(0) << 24 | b(1) << 16 | b(2) << 8 | b(3);
}

// The domain of "<local@Domain>" (the MAIL command's first argument), lower
// case; "" for "<>" or no @.
std::string SenderDomain(std::string_view data) {
  std::string_view addr = data.substr(0, data.find('\0'));
  if (!addr.empty() && addr.front() == '<') addr.remove_prefix(1);
  if (size_t gt = addr.find('>'); gt != std::string_view::npos) addr = addr.substr(0, gt);
  size_t at = addr.rfind('@');
  if (at == std::string_view::npos) return "";
  std::string domain(addr.substr(at + 1));
  std::transform(domain.begin(), domain.end(), domain.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  while (!domain.empty() && domain.back() == '.') domain.pop_back();
  return domain;
}

// Appends `text` with every LF not after a CR made CRLF (Postfix passes a
// folded header value with bare LFs).
void AppendCrlf(std::string* out, std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out->push_back('\r');
    out->push_back(text[i]);
  }
}

}  // namespace

std::string MilterPacket(char command, std::string_view data) {
  std::string p;
  PutU32(&p, static_cast<uint32_t>(data.size() + 1));
  p.push_back(command);
  p.append(data);
  return p;
}

void MilterFrameReader::Append(std::string_view bytes) {
  // Packets already read are dropped here, not in Next: their data stays
  // valid until now.
  if (start_ == buffer_.size()) {
    buffer_.clear();
    start_ = 0;
  } else if (start_ > 65536) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
  buffer_.append(bytes);
}

std::optional<std::pair<char, std::string_view>> MilterFrameReader::Next(bool* error) {
  if (broken_) {
    *error = true;
    return std::nullopt;
  }
  if (buffered() < 4) return std::nullopt;
  uint32_t length = GetU32(buffer_, start_);
  if (length == 0 || length > max_) {
    broken_ = true;
    *error = true;
    return std::nullopt;
  }
  if (buffered() < 4 + static_cast<size_t>(length)) return std::nullopt;
  std::pair<char, std::string_view> packet{
      buffer_[start_ + 4], std::string_view(buffer_).substr(start_ + 5, length - 1)};
  start_ += 4 + length;
  return packet;
}

std::string_view MilterSkipReasonName(MilterSkipReason reason) {
  switch (reason) {
    case MilterSkipReason::kTooLarge:
      return "too_large";
    case MilterSkipReason::kTooSlow:
      return "too_slow";
    case MilterSkipReason::kBusy:
      return "busy";
  }
  return "too_large";
}

void MilterSession::Reset() {
  in_message_ = false;
  done_ = false;
  current_ = {};
  skip_.reset();
}

bool MilterSession::OverBudget(Time now) {
  if (!skip_ && current_.message.size() > budget_.max_message_bytes) {
    skip_ = MilterSkipReason::kTooLarge;
  }
  if (!skip_ && now - started_ > budget_.max_message_time) skip_ = MilterSkipReason::kTooSlow;
  return skip_.has_value();
}

void MilterSession::Step(uint32_t no_reply_flag, Time now, std::string* reply,
                         std::optional<MilterMessageEvent>* event) {
  bool may_reply = no_reply_flag == 0 || (protocol_ & no_reply_flag) == 0;
  if (in_message_ && !done_ && OverBudget(now) && may_reply) {
    reply->append(MilterPacket(kMilterReplyAccept, {}));
    current_.skipped = skip_;
    current_.message.clear();
    *event = std::move(current_);
    current_ = {};
    done_ = true;
    return;
  }
  if (may_reply) reply->append(MilterPacket(kMilterReplyContinue, {}));
}

bool MilterSession::Handle(char command, std::string_view data, Time now, std::string* reply,
                           std::optional<MilterMessageEvent>* event) {
  switch (command) {
    case kMilterOptionNegotiation: {
      if (data.size() < 12) return false;
      uint32_t version = GetU32(data, 0);
      if (version < 2) return false;
      protocol_ = version >= 6 ? GetU32(data, 8) & kWanted
                               : GetU32(data, 8) & (kMilterNoConnect | kMilterNoHelo);
      std::string body;
      PutU32(&body, std::min(version, kMilterVersion));
      PutU32(&body, 0);  // actions: none, the filter never modifies mail
      PutU32(&body, protocol_);
      reply->append(MilterPacket(kMilterOptionNegotiation, body));
      return true;
    }
    case kMilterMacro:
      return true;  // never answered
    case kMilterConnect:
      Step(kMilterNoReplyConnect, now, reply, event);
      return true;
    case kMilterHelo:
      Step(kMilterNoReplyHelo, now, reply, event);
      return true;
    case kMilterUnknown:
      Step(kMilterNoReplyUnknown, now, reply, event);
      return true;
    case kMilterMail:
      Reset();
      in_message_ = true;
      started_ = now;
      current_.sender_domain = SenderDomain(data);
      Step(kMilterNoReplyMail, now, reply, event);
      return true;
    case kMilterRcpt:
      if (in_message_ && !done_) ++current_.recipients;
      Step(kMilterNoReplyRcpt, now, reply, event);
      return true;
    case kMilterData:
      Step(kMilterNoReplyData, now, reply, event);
      return true;
    case kMilterHeader: {
      if (in_message_ && !done_ && !skip_) {
        size_t nul = data.find('\0');
        std::string_view name = data.substr(0, nul);
        std::string_view value =
            nul == std::string_view::npos ? std::string_view() : data.substr(nul + 1);
        if (!value.empty() && value.back() == '\0') value.remove_suffix(1);
        current_.message.append(name);
        current_.message.append(": ");
        AppendCrlf(&current_.message, value);
        current_.message.append("\r\n");
      }
      Step(kMilterNoReplyHeader, now, reply, event);
      return true;
    }
    case kMilterEndOfHeaders:
      if (in_message_ && !done_ && !skip_) current_.message.append("\r\n");
      Step(kMilterNoReplyEndOfHeaders, now, reply, event);
      return true;
    case kMilterBody:
      if (in_message_ && !done_ && !skip_) {
        size_t size = current_.message.size();
        size_t room = size > budget_.max_message_bytes ? 0 : budget_.max_message_bytes + 1 - size;
        current_.message.append(data.substr(0, room));
      }
      Step(kMilterNoReplyBody, now, reply, event);
      return true;
    case kMilterEndOfBody: {
      if (in_message_ && !done_) {
        if (!skip_) current_.message.append(data);
        OverBudget(now);
        current_.skipped = skip_;
        if (skip_) current_.message.clear();
        *event = std::move(current_);
      }
      reply->append(MilterPacket(kMilterReplyAccept, {}));
      Reset();
      return true;
    }
    case kMilterAbort:
      Reset();
      return true;
    case kMilterQuitNewConnection:
      Reset();
      return true;
    case kMilterQuit:
      return false;
    default:
      // An unknown command: answer CONTINUE so the MTA goes on.
      reply->append(MilterPacket(kMilterReplyContinue, {}));
      return true;
  }
}

}  // namespace mailrep
