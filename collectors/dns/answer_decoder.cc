#include "collectors/dns/answer_decoder.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace mailrep {
namespace {

constexpr size_t kHeaderSize = 12;
constexpr size_t kMaxNameWireLength = 255;
constexpr int kMaxPointerJumps = 127;
constexpr int kMaxCnameLinks = 16;
constexpr uint16_t kClassIn = 1;
constexpr uint16_t kTypeSoa = 6;

struct ResourceRecord {
  std::string owner;
  uint16_t type = 0;
  uint16_t klass = 0;
  uint32_t ttl = 0;
  size_t rdata = 0;  // offset of RDATA in the message
  uint16_t rdlength = 0;
};

class MessageReader {
 public:
  explicit MessageReader(std::span<const uint8_t> message) : message_(message) {}

  bool U16(size_t* pos, uint16_t* out) const {
    if (*pos + 2 > message_.size()) return false;
    *out = static_cast<uint16_t>(message_[*pos] << 8 | message_[*pos + 1]);
    *pos += 2;
    return true;
  }

  bool U32(size_t* pos, uint32_t* out) const {
    if (*pos + 4 > message_.size()) return false;
    *out = static_cast<uint32_t>(message_[*pos]) << 24 |
           static_cast<uint32_t>(message_[*pos + 1]) << 16 |
           static_cast<uint32_t>(message_[*pos + 2]) << 8 | message_[*pos + 3];
    *pos += 4;
    return true;
  }

  // Reads a possibly compressed name at *pos into presentation form (see
  // DnsRecord::target) and moves *pos past its in-place bytes.
  bool Name(size_t* pos, std::string* out) const {
    out->clear();
    size_t at = *pos;
    size_t wire_length = 1;
    int jumps = 0;
    bool jumped = false;
    while (true) {
      if (at >= message_.size()) return false;
      uint8_t length = message_[at];
      if ((length & 0xC0) == 0xC0) {
        if (at + 1 >= message_.size()) return false;
        size_t target = static_cast<size_t>(length & 0x3F) << 8 | message_[at + 1];
        if (target >= at || ++jumps > kMaxPointerJumps) return false;
        if (!jumped) *pos = at + 2;
        jumped = true;
        at = target;
        continue;
      }
      if (length & 0xC0) return false;
      if (length == 0) {
        if (!jumped) *pos = at + 1;
        break;
      }
      if (at + 1 + length > message_.size()) return false;
      wire_length += 1 + length;
      if (wire_length > kMaxNameWireLength) return false;
      if (!out->empty()) out->push_back('.');
      AppendLabel(message_.subspan(at + 1, length), out);
      at += 1 + length;
    }
    if (out->empty()) *out = ".";
    return true;
  }

  bool Record(size_t* pos, ResourceRecord* rr) const {
    return Name(pos, &rr->owner) && U16(pos, &rr->type) && U16(pos, &rr->klass) &&
           U32(pos, &rr->ttl) && U16(pos, &rr->rdlength) && Skip(pos, rr->rdlength, &rr->rdata);
  }

  std::span<const uint8_t> Bytes(size_t pos, size_t length) const {
    return message_.subspan(pos, length);
  }

 private:
  bool Skip(size_t* pos, size_t length, size_t* start) const {
    if (*pos + length > message_.size()) return false;
    *start = *pos;
    *pos += length;
    return true;
  }

  static void AppendLabel(std::span<const uint8_t> label, std::string* out) {
    for (uint8_t c : label) {
      if (c >= 'A' && c <= 'Z') {
        out->push_back(static_cast<char>(c - 'A' + 'a'));
      } else if (c == '.' || c == '\\') {
        out->push_back('\\');
        out->push_back(static_cast<char>(c));
      } else if (c < 0x21 || c > 0x7E) {
        char escaped[5] = {'\\', static_cast<char>('0' + c / 100),
                           static_cast<char>('0' + c / 10 % 10), static_cast<char>('0' + c % 10),
                           0};
        out->append(escaped);
      } else {
        out->push_back(static_cast<char>(c));
      }
    }
  }

  std::span<const uint8_t> message_;
};

uint32_t ClampTtl(uint32_t ttl) { return ttl > 0x7FFFFFFFu ? 0 : ttl; }

DnsAnswer Fail(DnsOutcome outcome, std::string error, std::string name = {}) {
  DnsAnswer answer;
  answer.outcome = outcome;
  answer.error = std::move(error);
  answer.canonical_name = std::move(name);
  return answer;
}

bool IsSupportedType(uint16_t type) {
  switch (static_cast<RecordType>(type)) {
    case RecordType::kA:
    case RecordType::kCname:
    case RecordType::kPtr:
    case RecordType::kMx:
    case RecordType::kTxt:
    case RecordType::kAaaa:
      return true;
  }
  return false;
}

// A name that must fill the RDATA exactly.
bool ExactName(const MessageReader& reader, const ResourceRecord& rr, size_t pos,
               std::string* out) {
  return reader.Name(&pos, out) && pos == rr.rdata + rr.rdlength;
}

bool DecodeRdata(const MessageReader& reader, const ResourceRecord& rr, DnsRecord* record) {
  record->type = static_cast<RecordType>(rr.type);
  record->ttl = ClampTtl(rr.ttl);
  std::span<const uint8_t> rdata = reader.Bytes(rr.rdata, rr.rdlength);
  switch (record->type) {
    case RecordType::kA:
      if (rdata.size() != 4) return false;
      record->address.family = IpAddress::Family::kV4;
      std::copy(rdata.begin(), rdata.end(), record->address.bytes.begin());
      return true;
    case RecordType::kAaaa:
      if (rdata.size() != 16) return false;
      record->address.family = IpAddress::Family::kV6;
      std::copy(rdata.begin(), rdata.end(), record->address.bytes.begin());
      return true;
    case RecordType::kTxt: {
      if (rdata.empty()) return false;
      size_t at = 0;
      while (at < rdata.size()) {
        size_t length = rdata[at];
        if (at + 1 + length > rdata.size()) return false;
        record->texts.emplace_back(reinterpret_cast<const char*>(rdata.data()) + at + 1, length);
        at += 1 + length;
      }
      return true;
    }
    case RecordType::kMx: {
      size_t pos = rr.rdata;
      return reader.U16(&pos, &record->preference) && pos <= rr.rdata + rr.rdlength &&
             ExactName(reader, rr, pos, &record->target);
    }
    case RecordType::kPtr:
    case RecordType::kCname:
      return ExactName(reader, rr, rr.rdata, &record->target);
  }
  return false;
}

// RFC 2308 §5: the negative TTL is the smaller of the SOA's own TTL and its
// MINIMUM field. Returns nullopt when there is no SOA or it does not parse.
std::optional<uint32_t> NegativeTtl(const MessageReader& reader,
                                    const std::vector<ResourceRecord>& authority) {
  for (const ResourceRecord& rr : authority) {
    if (rr.type != kTypeSoa || rr.klass != kClassIn) continue;
    size_t pos = rr.rdata;
    std::string mname, rname;
    uint32_t fields[5];
    if (!reader.Name(&pos, &mname) || !reader.Name(&pos, &rname)) return std::nullopt;
    for (uint32_t& field : fields) {
      if (!reader.U32(&pos, &field)) return std::nullopt;
    }
    if (pos != rr.rdata + rr.rdlength) return std::nullopt;
    return std::min(ClampTtl(rr.ttl), ClampTtl(fields[4]));
  }
  return std::nullopt;
}

const char* RcodeName(int rcode) {
  switch (rcode) {
    case 1:
      return "FORMERR";
    case 4:
      return "NOTIMP";
    case 6:
      return "YXDOMAIN";
    case 7:
      return "YXRRSET";
    case 8:
      return "NXRRSET";
    case 9:
      return "NOTAUTH";
    case 10:
      return "NOTZONE";
    default:
      return "unassigned";
  }
}

struct Question {
  std::string name;
  uint16_t type = 0;
};

DnsAnswer Decode(std::span<const uint8_t> message, const Question* expected) {
  if (message.size() < kHeaderSize) return Fail(DnsOutcome::kMalformed, "message too short");
  MessageReader reader(message);
  size_t pos = 2;
  uint16_t flags = 0, qdcount = 0, ancount = 0, nscount = 0, arcount = 0;
  reader.U16(&pos, &flags);
  reader.U16(&pos, &qdcount);
  reader.U16(&pos, &ancount);
  reader.U16(&pos, &nscount);
  reader.U16(&pos, &arcount);
  if (!(flags & 0x8000)) return Fail(DnsOutcome::kMalformed, "not a response (QR clear)");
  if ((flags >> 11 & 0xF) != 0) return Fail(DnsOutcome::kMalformed, "opcode is not QUERY");
  if (qdcount != 1) return Fail(DnsOutcome::kMalformed, "QDCOUNT is not 1");

  Question question;
  uint16_t qclass = 0;
  if (!reader.Name(&pos, &question.name) || !reader.U16(&pos, &question.type) ||
      !reader.U16(&pos, &qclass)) {
    return Fail(DnsOutcome::kMalformed, "question runs past the end");
  }
  if (qclass != kClassIn) return Fail(DnsOutcome::kMalformed, "question class is not IN");
  if (expected != nullptr && (question.name != expected->name || question.type != expected->type)) {
    return Fail(DnsOutcome::kMalformed, "answer is for another question (" + question.name + ")",
                expected->name);
  }
  if (!IsSupportedType(question.type)) {
    return Fail(DnsOutcome::kMalformed,
                "unsupported question type " + std::to_string(question.type), question.name);
  }

  std::vector<ResourceRecord> answers(ancount), authority(nscount);
  for (ResourceRecord& rr : answers) {
    if (!reader.Record(&pos, &rr)) {
      return Fail(DnsOutcome::kMalformed, "answer section runs past the end", question.name);
    }
  }
  for (ResourceRecord& rr : authority) {
    if (!reader.Record(&pos, &rr)) {
      return Fail(DnsOutcome::kMalformed, "authority section runs past the end", question.name);
    }
  }
  for (uint16_t i = 0; i < arcount; ++i) {
    ResourceRecord rr;
    if (!reader.Record(&pos, &rr)) {
      return Fail(DnsOutcome::kMalformed, "additional section runs past the end", question.name);
    }
  }

  if (flags & 0x0200) return Fail(DnsOutcome::kError, "answer truncated (TC)", question.name);
  int rcode = flags & 0xF;
  if (rcode == 2) return Fail(DnsOutcome::kServFail, "SERVFAIL", question.name);
  if (rcode == 5) return Fail(DnsOutcome::kRefused, "REFUSED", question.name);
  if (rcode != 0 && rcode != 3) {
    return Fail(DnsOutcome::kError,
                "rcode " + std::to_string(rcode) + " (" + RcodeName(rcode) + ")", question.name);
  }

  // Follow the CNAME chain from the question name.
  std::string current = question.name;
  uint32_t chain_ttl = UINT32_MAX;
  std::vector<std::string> chain = {current};
  if (question.type != static_cast<uint16_t>(RecordType::kCname)) {
    for (int links = 0;; ++links) {
      const ResourceRecord* cname = nullptr;
      for (const ResourceRecord& rr : answers) {
        if (rr.type == static_cast<uint16_t>(RecordType::kCname) && rr.klass == kClassIn &&
            rr.owner == current) {
          cname = &rr;
          break;
        }
      }
      if (cname == nullptr) break;
      if (links >= kMaxCnameLinks) {
        return Fail(DnsOutcome::kMalformed, "CNAME chain too long", question.name);
      }
      std::string target;
      if (!ExactName(reader, *cname, cname->rdata, &target)) {
        return Fail(DnsOutcome::kMalformed, "bad CNAME RDATA", question.name);
      }
      if (std::find(chain.begin(), chain.end(), target) != chain.end()) {
        return Fail(DnsOutcome::kMalformed, "CNAME loop", question.name);
      }
      chain_ttl = std::min(chain_ttl, ClampTtl(cname->ttl));
      chain.push_back(target);
      current = std::move(target);
    }
  }

  DnsAnswer answer;
  answer.canonical_name = current;
  bool unrelated = false;
  uint32_t data_ttl = chain_ttl;
  for (const ResourceRecord& rr : answers) {
    if (std::find(chain.begin(), chain.end(), rr.owner) == chain.end()) {
      unrelated = true;
      continue;
    }
    if (rcode != 0 || rr.owner != current || rr.type != question.type || rr.klass != kClassIn) {
      continue;
    }
    DnsRecord record;
    if (!DecodeRdata(reader, rr, &record)) {
      return Fail(DnsOutcome::kMalformed,
                  "bad " + std::string(RecordTypeName(record.type)) + " RDATA", current);
    }
    data_ttl = std::min(data_ttl, record.ttl);
    answer.records.push_back(std::move(record));
  }

  if (!answer.records.empty()) {
    answer.outcome = DnsOutcome::kData;
    answer.ttl = data_ttl;
    return answer;
  }
  if (rcode == 0 && unrelated) {
    return Fail(DnsOutcome::kMalformed, "answer records belong to another name", current);
  }
  answer.outcome = rcode == 3 ? DnsOutcome::kNxDomain : DnsOutcome::kNoData;
  std::optional<uint32_t> negative_ttl = NegativeTtl(reader, authority);
  answer.ttl = negative_ttl ? std::min(*negative_ttl, chain_ttl) : 0;
  answer.error = rcode == 3 ? "NXDOMAIN" : "no records of this type";
  return answer;
}

}  // namespace

DnsAnswer DecodeDnsAnswer(std::span<const uint8_t> message) { return Decode(message, nullptr); }

DnsAnswer DecodeDnsAnswer(std::span<const uint8_t> message, std::string_view expected_name,
                          RecordType expected_type) {
  Question expected{NormalizeDnsName(expected_name), static_cast<uint16_t>(expected_type)};
  return Decode(message, &expected);
}

}  // namespace mailrep
