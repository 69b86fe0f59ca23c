#include "collectors/reports/report_state.h"

#include <algorithm>
#include <charconv>
#include <utility>
#include <vector>

#include "collectors/reports/atomic_file.h"
#include "exporter/util/lines.h"
#include "exporter/util/read_file.h"

namespace mailrep {
namespace {

constexpr std::string_view kMagic = "mailrep-reports-state 2";
constexpr size_t kMaxStateBytes = size_t{512} << 20;

void Encode(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  if (s.empty()) {
    out->append("%");  // an empty field still takes its place
    return;
  }
  for (unsigned char c : s) {
    if (c <= 0x20 || c == '%' || c == 0x7f) {
      out->push_back('%');
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 15]);
    } else {
      out->push_back(static_cast<char>(c));
    }
  }
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

bool Decode(std::string_view s, std::string* out) {
  out->clear();
  if (s == "%") return true;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out->push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size()) return false;
    int hi = HexDigit(s[i + 1]), lo = HexDigit(s[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return true;
}

template <typename T>
bool Number(std::string_view s, T* out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size() && !s.empty();
}

std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  while (start <= line.size()) {
    size_t space = line.find(' ', start);
    if (space == std::string_view::npos) space = line.size();
    fields.push_back(line.substr(start, space - start));
    start = space + 1;
  }
  return fields;
}

uint64_t ReportKey(std::string_view kind, std::string_view reporter, std::string_view id) {
  std::string key;
  Encode(kind, &key);
  key.push_back(' ');
  Encode(reporter, &key);
  key.push_back(' ');
  Encode(id, &key);
  return ReportState::Fingerprint(key);
}

void AppendHex(uint64_t v, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int shift = 60; shift >= 0; shift -= 4) out->push_back(kHex[(v >> shift) & 15]);
}

bool ParseHex(std::string_view s, uint64_t* out) {
  if (s.size() != 16) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out, 16);
  return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

uint64_t ReportState::Fingerprint(std::string_view text) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

template <typename Value>
const Value* ReportState::Table<Value>::Find(uint64_t key) const {
  for (const std::vector<Entry>* v : {&main_, &recent_}) {
    auto it = std::lower_bound(v->begin(), v->end(), key,
                               [](const Entry& e, uint64_t k) { return e.key < k; });
    if (it != v->end() && it->key == key) return &it->value;
  }
  return nullptr;
}

template <typename Value>
Value* ReportState::Table<Value>::Find(uint64_t key) {
  return const_cast<Value*>(std::as_const(*this).Find(key));
}

template <typename Value>
bool ReportState::Table<Value>::Insert(uint64_t key, const Value& value) {
  if (Find(key) != nullptr) return false;
  auto it = std::lower_bound(recent_.begin(), recent_.end(), key,
                             [](const Entry& e, uint64_t k) { return e.key < k; });
  recent_.insert(it, Entry{key, value});
  if (recent_.size() >= kRecent) Merge();
  return true;
}

template <typename Value>
void ReportState::Table<Value>::Merge() {
  size_t old = main_.size();
  main_.insert(main_.end(), recent_.begin(), recent_.end());
  std::inplace_merge(main_.begin(), main_.begin() + static_cast<ptrdiff_t>(old), main_.end(),
                     [](const Entry& a, const Entry& b) { return a.key < b.key; });
  recent_.clear();
}

template <typename Value>
template <typename Pred>
size_t ReportState::Table<Value>::EraseIf(Pred drop) {
  size_t before = size();
  for (std::vector<Entry>* v : {&main_, &recent_}) {
    std::erase_if(*v, [&](const Entry& e) { return drop(e.key, e.value); });
  }
  if (main_.capacity() > 2 * main_.size() + kRecent) main_.shrink_to_fit();
  return before - size();
}

template <typename Value>
template <typename F>
void ReportState::Table<Value>::ForEachSorted(F f) const {
  auto a = main_.begin(), b = recent_.begin();
  while (a != main_.end() || b != recent_.end()) {
    if (b == recent_.end() || (a != main_.end() && a->key < b->key)) {
      f(a->key, a->value);
      ++a;
    } else {
      f(b->key, b->value);
      ++b;
    }
  }
}

bool ReportState::AddReport(std::string_view kind, std::string_view reporter, std::string_view id,
                            int64_t end) {
  bool added = reports_.Insert(ReportKey(kind, reporter, id), end);
  if (added) dirty_ = true;
  return added;
}

bool ReportState::HasReport(std::string_view kind, std::string_view reporter,
                            std::string_view id) const {
  return reports_.Find(ReportKey(kind, reporter, id)) != nullptr;
}

bool ReportState::FileUnchanged(const std::string& path, uint64_t size, int64_t mtime_ns) const {
  const FileStamp* stamp = files_.Find(Fingerprint(path));
  return stamp != nullptr && stamp->size == size && stamp->mtime_ns == mtime_ns;
}

void ReportState::NoteFile(const std::string& path, uint64_t size, int64_t mtime_ns) {
  uint64_t key = Fingerprint(path);
  if (FileStamp* stamp = files_.Find(key)) {
    if (stamp->size == size && stamp->mtime_ns == mtime_ns) return;
    *stamp = {size, mtime_ns};
  } else {
    files_.Insert(key, {size, mtime_ns});
  }
  dirty_ = true;
}

void ReportState::RetainFiles(const std::vector<uint64_t>& present) {
  if (files_.EraseIf([&](uint64_t key, const FileStamp&) {
        return !std::binary_search(present.begin(), present.end(), key);
      }) > 0) {
    dirty_ = true;
  }
}

void ReportState::NoteReceived(const std::string& kind, const std::string& receiver,
                               int64_t unix_seconds) {
  auto [it, added] = last_received_.try_emplace({kind, receiver}, unix_seconds);
  if (added || it->second < unix_seconds) {
    it->second = unix_seconds;
    dirty_ = true;
  }
}

void ReportState::Prune(int64_t now) {
  int64_t oldest = now - limits_.retention_seconds;
  if (reports_.EraseIf([&](uint64_t, int64_t end) { return end < oldest; }) > 0) dirty_ = true;
  if (reports_.size() > limits_.max_reports) {
    std::vector<int64_t> ends;
    ends.reserve(reports_.size());
    reports_.ForEachSorted([&](uint64_t, int64_t end) { ends.push_back(end); });
    size_t drop = reports_.size() - limits_.max_reports;
    std::nth_element(ends.begin(), ends.begin() + static_cast<ptrdiff_t>(drop - 1), ends.end());
    int64_t cut = ends[drop - 1];
    size_t older = static_cast<size_t>(
        std::count_if(ends.begin(), ends.end(), [&](int64_t end) { return end < cut; }));
    ends = {};
    // Everything older than the cut, then from those at the cut until enough went.
    size_t at_cut = drop - older;
    reports_.EraseIf([&](uint64_t, int64_t end) {
      if (end < cut) return true;
      if (end == cut && at_cut > 0) {
        --at_cut;
        return true;
      }
      return false;
    });
    dirty_ = true;
  }
  if (files_.size() > limits_.max_files) {
    size_t drop = files_.size() - limits_.max_files;
    files_.EraseIf([&](uint64_t, const FileStamp&) { return drop > 0 && drop-- > 0; });
    dirty_ = true;
  }
}

std::string ReportState::Serialize() const {
  std::string out;
  (void)SerializeTo([&](std::string_view piece) {
    out.append(piece);
    return Status::OK();
  });
  return out;
}

Status ReportState::SerializeTo(const std::function<Status(std::string_view)>& sink) const {
  constexpr size_t kPiece = 64 * 1024;
  std::string out;
  out.reserve(kPiece + 256);
  Status status = Status::OK();
  auto flush = [&](bool last) {
    if (status.ok() && (last || out.size() >= kPiece)) {
      status = sink(out);
      out.clear();
    }
  };
  out.append(kMagic).push_back('\n');
  reports_.ForEachSorted([&](uint64_t key, int64_t end) {
    out.append("R ").append(std::to_string(end)).push_back(' ');
    AppendHex(key, &out);
    out.push_back('\n');
    flush(false);
  });
  files_.ForEachSorted([&](uint64_t key, const FileStamp& stamp) {
    out.append("F ").append(std::to_string(stamp.size)).push_back(' ');
    out.append(std::to_string(stamp.mtime_ns)).push_back(' ');
    AppendHex(key, &out);
    out.push_back('\n');
    flush(false);
  });
  for (const auto& [key, when] : last_received_) {
    out.append("L ");
    Encode(key.first, &out);
    out.push_back(' ');
    Encode(key.second, &out);
    out.append(" ").append(std::to_string(when)).push_back('\n');
    flush(false);
  }
  flush(true);
  return status;
}

StatusOr<ReportState> ReportState::Parse(std::string_view text, Limits limits) {
  ReportState state(limits);
  size_t number = 0;
  std::string a, b;
  uint64_t key = 0;
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument("line " + std::to_string(number) + ": " + std::string(why));
  };
  bool first = true;
  while (std::optional<std::string_view> line = NextLine(&text)) {
    ++number;
    if (first) {
      if (*line != kMagic)
        return bad("not a reports state file (want \"" + std::string(kMagic) + "\")");
      first = false;
      continue;
    }
    if (line->empty()) continue;
    std::vector<std::string_view> f = Fields(*line);
    if (f[0] == "R" && f.size() == 3) {
      int64_t end = 0;
      if (!Number(f[1], &end) || !ParseHex(f[2], &key)) return bad("malformed report entry");
      if (int64_t* known = state.reports_.Find(key)) {
        *known = end;  // the last line for a key counts, as it always did
      } else {
        state.reports_.Insert(key, end);
      }
    } else if (f[0] == "F" && f.size() == 4) {
      FileStamp stamp;
      if (!Number(f[1], &stamp.size) || !Number(f[2], &stamp.mtime_ns) || !ParseHex(f[3], &key)) {
        return bad("malformed file entry");
      }
      if (FileStamp* known = state.files_.Find(key)) {
        *known = stamp;
      } else {
        state.files_.Insert(key, stamp);
      }
    } else if (f[0] == "L" && f.size() == 4) {
      int64_t when = 0;
      if (!Decode(f[1], &a) || !Decode(f[2], &b) || !Number(f[3], &when)) {
        return bad("malformed last-received entry");
      }
      state.last_received_[{a, b}] = when;
    } else {
      return bad("unknown entry");
    }
  }
  if (first) return Status::InvalidArgument("empty reports state file");
  return state;
}

StatusOr<ReportState> ReportState::Load(const std::string& path, Limits limits) {
  StatusOr<std::string> text = ReadFileCapped(path, kMaxStateBytes);
  if (!text.ok()) {
    if (text.status().code() == Status::Code::kNotFound) return ReportState(limits);
    return text.status();
  }
  StatusOr<ReportState> state = Parse(*text, limits);
  if (!state.ok()) return state.status().Annotate(path);
  return state;
}

Status ReportState::Save(const std::string& path) {
  Status s =
      WriteFileAtomically(path, [&](const AtomicFileSink& sink) { return SerializeTo(sink); });
  if (s.ok()) MarkSaved();
  return s;
}

}  // namespace mailrep
