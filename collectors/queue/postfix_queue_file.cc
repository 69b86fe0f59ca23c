#include "collectors/queue/postfix_queue_file.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <string_view>

namespace mailrep {
namespace {

constexpr int kMaxLengthBytes = 4;
constexpr int kMaxPointerJumps = 4096;
constexpr std::string_view kKnownEnvelopeTypes = "cFAOoni<WIL>fdVPmKre";
constexpr std::string_view kContentTypes = "NLw";

struct Record {
  char type = 0;
  uint64_t offset = 0;          // where the type byte is
  uint64_t payload_offset = 0;  // where the payload starts
  uint64_t length = 0;
};

Status Corrupt(uint64_t offset, std::string_view what) {
  return Status::InvalidArgument("corrupt queue file at offset " + std::to_string(offset) + ": " +
                                 std::string(what));
}

// Sequential record reads with a small buffer over a RandomAccessInput.
class RecordReader {
 public:
  explicit RecordReader(RandomAccessInput& input) : input_(input) {}

  uint64_t pos() const { return pos_; }
  void Seek(uint64_t pos) { pos_ = pos; }

  // Reads the record header at pos() and moves past the whole record.
  Status Next(Record* rec) {
    rec->offset = pos_;
    int type = 0;
    if (Status s = ByteAt(pos_, &type); !s.ok()) return s;
    if (type < 0) return Corrupt(pos_, "truncated: no end record");
    uint64_t length = 0;
    uint64_t at = pos_ + 1;
    for (int i = 0;; ++i) {
      if (i == kMaxLengthBytes) return Corrupt(rec->offset, "record length too long");
      int byte = 0;
      if (Status s = ByteAt(at++, &byte); !s.ok()) return s;
      if (byte < 0) return Corrupt(rec->offset, "truncated record length");
      length |= static_cast<uint64_t>(byte & 0x7f) << (7 * i);
      if ((byte & 0x80) == 0) break;
    }
    rec->type = static_cast<char>(type);
    rec->payload_offset = at;
    rec->length = length;
    pos_ = at + length;
    return Status::OK();
  }

  // Reads the payload of `rec` (at most kMaxInterpretedPayload bytes).
  Status Payload(const Record& rec, std::string* out) {
    if (rec.length > kMaxInterpretedPayload) return Corrupt(rec.offset, "record too long");
    out->resize(rec.length);
    size_t done = 0;
    while (done < rec.length) {
      uint64_t off = rec.payload_offset + done;
      if (off >= buf_start_ && off < buf_start_ + buf_len_) {
        size_t n = std::min<uint64_t>(rec.length - done, buf_start_ + buf_len_ - off);
        std::memcpy(out->data() + done, buf_ + (off - buf_start_), n);
        done += n;
        continue;
      }
      if (Status s = Fill(off); !s.ok()) return s;
      if (buf_len_ == 0) return Corrupt(rec.offset, "truncated record");
    }
    return Status::OK();
  }

 private:
  // Sets *byte to the byte at `off`, or -1 at the end of the input.
  Status ByteAt(uint64_t off, int* byte) {
    if (off < buf_start_ || off >= buf_start_ + buf_len_) {
      if (Status s = Fill(off); !s.ok()) return s;
      if (buf_len_ == 0) {
        *byte = -1;
        return Status::OK();
      }
    }
    *byte = static_cast<unsigned char>(buf_[off - buf_start_]);
    return Status::OK();
  }

  Status Fill(uint64_t off) {
    buf_start_ = off;
    buf_len_ = 0;
    StatusOr<size_t> got = input_.ReadAt(off, buf_, sizeof(buf_));
    if (!got.ok()) return got.status();
    buf_len_ = *got;
    return Status::OK();
  }

  RandomAccessInput& input_;
  uint64_t pos_ = 0;
  char buf_[4096];
  uint64_t buf_start_ = 0;
  size_t buf_len_ = 0;
};

bool ParseUint(std::string_view text, uint64_t* value) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return ec == std::errc() && end == text.data() + text.size();
}

// Splits on runs of spaces.
std::vector<std::string_view> Fields(std::string_view text) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    size_t start = i;
    while (i < text.size() && text[i] != ' ') ++i;
    if (i > start) out.push_back(text.substr(start, i - start));
  }
  return out;
}

Status ParseSizeRecord(const Record& rec, std::string_view payload, PostfixQueueFileInfo* info) {
  std::vector<std::string_view> fields = Fields(payload);
  uint64_t values[3] = {0, 0, 0};
  if (fields.empty()) return Corrupt(rec.offset, "empty size record");
  for (size_t i = 0; i < fields.size() && i < 3; ++i) {
    if (!ParseUint(fields[i], &values[i])) return Corrupt(rec.offset, "bad size record");
  }
  info->has_size_record = true;
  info->content_size = values[0];
  info->data_offset = values[1];
  info->recipient_count = values[2];
  return Status::OK();
}

Status ParseTimeRecord(const Record& rec, std::string_view payload, PostfixQueueFileInfo* info) {
  std::vector<std::string_view> fields = Fields(payload);
  uint64_t seconds = 0;
  if (fields.empty() || !ParseUint(fields[0], &seconds) ||
      seconds > static_cast<uint64_t>(INT64_MAX)) {
    return Corrupt(rec.offset, "bad time record");
  }
  info->arrival_time = static_cast<int64_t>(seconds);
  return Status::OK();
}

enum class Segment { kEnvelope, kContent, kExtracted };

// "name=value" attributes that say who submitted the message.
void ParseOriginAttribute(std::string_view payload, PostfixQueueFileInfo* info) {
  size_t eq = payload.find('=');
  if (eq == std::string_view::npos) return;
  std::string_view name = payload.substr(0, eq);
  std::string_view value = payload.substr(eq + 1);
  if (name == "sasl_username") {
    info->sasl_username = value;
  } else if (name == "log_client_address") {
    info->client_address = value;
  } else if (name == "client_address") {
    if (info->client_address.empty()) info->client_address = value;
  } else if (name == "rewrite_context") {
    info->rewrite_context = value;
  }
}

// cleanup's Received field for a local submission: "Received: by <host>
// (Postfix, from userid <N>)".
void ParseReceivedUserid(std::string_view line, PostfixQueueFileInfo* info) {
  constexpr std::string_view kPrefix = "Received: by ";
  constexpr std::string_view kUserid = ", from userid ";
  if (line.substr(0, kPrefix.size()) != kPrefix) return;
  size_t at = line.find(kUserid);
  if (at == std::string_view::npos) return;
  std::string_view digits = line.substr(at + kUserid.size());
  digits = digits.substr(0, digits.find(')'));
  uint64_t uid = 0;
  if (ParseUint(digits, &uid)) info->userid = uid;
}

}  // namespace

StatusOr<PostfixQueueFileInfo> ParsePostfixQueueFile(RandomAccessInput& input,
                                                     const PostfixQueueFileOptions& options) {
  PostfixQueueFileInfo info;
  RecordReader reader(input);
  Segment segment = Segment::kEnvelope;
  int jumps = 0;
  std::string payload;
  Record rec;
  for (;;) {
    if (Status s = reader.Next(&rec); !s.ok()) return s;
    char type = rec.type;
    if (type == 'p') {
      if (Status s = reader.Payload(rec, &payload); !s.ok()) return s;
      uint64_t target = 0;
      std::string_view text = payload;
      while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
      if (!ParseUint(text, &target)) return Corrupt(rec.offset, "bad pointer record");
      if (target == 0) continue;
      if (++jumps > kMaxPointerJumps) return Corrupt(rec.offset, "pointer loop");
      reader.Seek(target);
      continue;
    }
    if (segment == Segment::kContent) {
      if (type == 'X') {
        segment = Segment::kExtracted;
      } else if (kContentTypes.find(type) == std::string_view::npos) {
        if (type == 'E') return Corrupt(rec.offset, "end record inside the message content");
        ++info.unknown_records;
      }
      continue;
    }
    switch (type) {
      case 'C':
        if (segment != Segment::kEnvelope || info.has_size_record) {
          ++info.unknown_records;
          break;
        }
        if (Status s = reader.Payload(rec, &payload); !s.ok()) return s;
        if (Status s = ParseSizeRecord(rec, payload, &info); !s.ok()) return s;
        break;
      case 'T':
        if (info.arrival_time) break;
        if (Status s = reader.Payload(rec, &payload); !s.ok()) return s;
        if (Status s = ParseTimeRecord(rec, payload, &info); !s.ok()) return s;
        break;
      case 'S':
        info.has_sender = true;
        info.null_sender = rec.length == 0;
        if (options.read_origin) {
          if (Status s = reader.Payload(rec, &payload); !s.ok()) return s;
          info.sender = payload;
        }
        break;
      case 'A':
        if (options.read_origin && segment == Segment::kEnvelope) {
          if (Status s = reader.Payload(rec, &payload); !s.ok()) return s;
          ParseOriginAttribute(payload, &info);
        }
        break;
      case 'R':
        ++info.pending_recipients;
        if (info.pending.size() < options.max_kept_recipients) {
          if (Status s = reader.Payload(rec, &payload); !s.ok()) return s;
          info.pending.push_back({payload, rec.offset});
        }
        break;
      case 'D':
        ++info.done_recipients;
        break;
      case '/':
        ++info.cancelled_recipients;
        break;
      case 'M': {
        if (segment != Segment::kEnvelope) return Corrupt(rec.offset, "second content record");
        segment = Segment::kContent;
        // Skip the content: the extracted segment starts at data offset +
        // content size. Walk the content when that is not where an 'X' is.
        uint64_t after_m = reader.pos();
        if (options.read_origin) {
          Record first;
          if (reader.Next(&first).ok() && first.type == 'N' &&
              reader.Payload(first, &payload).ok()) {
            ParseReceivedUserid(payload, &info);
          }
          reader.Seek(after_m);
        }
        if (info.has_size_record && info.data_offset > 0 &&
            info.data_offset + info.content_size > after_m) {
          reader.Seek(info.data_offset + info.content_size);
          Record x;
          if (reader.Next(&x).ok() && x.type == 'X') {
            segment = Segment::kExtracted;
            break;
          }
          reader.Seek(after_m);
        }
        break;
      }
      case 'X':
        if (segment != Segment::kEnvelope)
          return Corrupt(rec.offset, "unexpected extracted record");
        return Corrupt(rec.offset, "extracted segment before the content");
      case 'E':
        if (segment != Segment::kExtracted) return Corrupt(rec.offset, "end record before content");
        return info;
      default:
        if (kKnownEnvelopeTypes.find(type) == std::string_view::npos) ++info.unknown_records;
        break;
    }
  }
}

StatusOr<PostfixQueueFileInfo> ParsePostfixQueueFile(std::string_view data,
                                                     const PostfixQueueFileOptions& options) {
  StringInput input(data);
  return ParsePostfixQueueFile(input, options);
}

}  // namespace mailrep
