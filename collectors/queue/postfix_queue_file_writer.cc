#include "collectors/queue/postfix_queue_file_writer.h"

#include <cstdio>

namespace mailrep {
namespace {

constexpr size_t kSizeRecordLength = 2 + 95;  // type, one length byte, six %15ld fields

void AddRecipients(const std::vector<SyntheticRecipient>& recipients, std::string* out,
                   std::vector<uint64_t>* offsets) {
  for (const SyntheticRecipient& r : recipients) {
    *out += PostfixRecord('A', "dsn_orig_rcpt=rfc822;" + r.address);
    *out += PostfixRecord('O', r.address);
    if (offsets != nullptr) offsets->push_back(out->size());
    *out += PostfixRecord(r.type, r.address);
  }
}

}  // namespace

std::string PostfixRecord(char type, std::string_view payload) {
  std::string out(1, type);
  size_t len = payload.size();
  do {
    unsigned char byte = len & 0x7f;
    len >>= 7;
    if (len != 0) byte |= 0x80;
    out += static_cast<char>(byte);
  } while (len != 0);
  out.append(payload);
  return out;
}

BuiltQueueFile BuildPostfixQueueFile(const SyntheticPostfixMessage& message) {
  BuiltQueueFile built;
  std::string envelope;
  char time_buf[64];
  std::snprintf(time_buf, sizeof(time_buf), "%lld %lld", static_cast<long long>(message.arrival),
                static_cast<long long>(message.arrival_usec));
  envelope += PostfixRecord('T', time_buf);
  envelope += PostfixRecord('A', "create_time=" + std::to_string(message.arrival));
  envelope += PostfixRecord('A', "rewrite_context=local");
  envelope += PostfixRecord('F', "Test");
  envelope += PostfixRecord('S', message.sender);
  for (const std::string& a : message.attributes) envelope += PostfixRecord('A', a);
  uint64_t base = message.size_record ? kSizeRecordLength : 0;
  std::string recipients;
  std::vector<uint64_t> offsets;
  AddRecipients(message.recipients, &recipients, &offsets);
  for (uint64_t& off : offsets) off += base + envelope.size();
  envelope += recipients;
  envelope += PostfixRecord('M', "");

  std::string content;
  for (const std::string& line : message.body_lines) content += PostfixRecord('N', line);
  std::string extracted = PostfixRecord('X', "");
  AddRecipients(message.extracted_recipients, &extracted, nullptr);
  extracted += PostfixRecord('E', "");

  uint64_t data_offset = base + envelope.size();
  size_t total_rcpts = message.recipients.size() + message.extracted_recipients.size();
  if (message.size_record) {
    char size_buf[128];
    std::snprintf(size_buf, sizeof(size_buf), "%15llu %15llu %15zu %15d %15llu %15d",
                  static_cast<unsigned long long>(content.size()),
                  static_cast<unsigned long long>(data_offset), total_rcpts, 0,
                  static_cast<unsigned long long>(content.size()), 0);
    built.bytes = PostfixRecord('C', size_buf);
  }
  built.bytes += envelope;
  built.bytes += content;
  built.bytes += extracted;
  built.content_size = content.size();
  built.recipient_offsets = std::move(offsets);
  return built;
}

std::string BuildPostfixDeferLog(const std::vector<SyntheticDeferEntry>& entries) {
  std::string out;
  for (const SyntheticDeferEntry& e : entries) {
    out += "\n<" + e.recipient + ">: " + e.reason + "\n";
    out += "recipient=" + e.recipient + "\n";
    out += "offset=" + std::to_string(e.offset) + "\n";
    out += "dsn_orig_rcpt=rfc822;" + e.recipient + "\n";
    out += "status=" + e.status + "\n";
    out += "action=delayed\n";
    out += "reason=" + e.reason + "\n\n";
  }
  return out;
}

}  // namespace mailrep
