// The lines of text, split on '\n'.
//
// NextLine walks the lines of a buffer held whole: "a\nb" and "a\nb\n" are
// both the lines "a" and "b" (no empty line after a final newline), "a\n\nb"
// has an empty line between. The '\n' is not part of a line; a '\r' before it
// is (callers that accept CRLF strip it).
//
//   std::string_view text = ...;
//   while (std::optional<std::string_view> line = NextLine(&text)) Use(*line);
//
// LineAssembler cuts a stream read in chunks into its complete lines, holding
// a partial last line until its newline arrives, and bounds the memory a line
// may take: a line longer than `max_line_bytes` is delivered once, truncated to
// that length, marked too long, and the rest of it up to its newline is
// skipped. Not thread-safe; one per stream.
#ifndef MAILREP_EXPORTER_UTIL_LINES_H_
#define MAILREP_EXPORTER_UTIL_LINES_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace mailrep {

// The first line of *text, removed from *text (with its '\n'); none when *text
// is empty.
inline std::optional<std::string_view> NextLine(std::string_view* text) {
  if (text->empty()) return std::nullopt;
  size_t nl = text->find('\n');
  std::string_view line = text->substr(0, nl);
  text->remove_prefix(nl == std::string_view::npos ? text->size() : nl + 1);
  return line;
}

// Calls fn(line) for each line of `text` (as NextLine splits it) until fn
// returns false.
template <typename Fn>
void ForEachLine(std::string_view text, Fn fn) {
  while (std::optional<std::string_view> line = NextLine(&text)) {
    if (!fn(*line)) return;
  }
}

class LineAssembler {
 public:
  explicit LineAssembler(size_t max_line_bytes) : max_line_bytes_(max_line_bytes) {}

  // Calls on_line(line, too_long) for each line that `chunk`, the next bytes
  // of the stream, completes. `line` is valid during the call only.
  template <typename Fn>
  void Feed(std::string_view chunk, Fn&& on_line) {
    while (!chunk.empty()) {
      size_t nl = chunk.find('\n');
      bool complete = nl != std::string_view::npos;
      std::string_view piece = chunk.substr(0, nl);
      chunk.remove_prefix(complete ? nl + 1 : chunk.size());
      if (skipping_) {
        skipping_ = !complete;
      } else if (partial_.size() + piece.size() > max_line_bytes_) {
        partial_.append(piece.substr(0, max_line_bytes_ - partial_.size()));
        on_line(std::string_view(partial_), true);
        partial_.clear();
        skipping_ = !complete;
      } else if (!complete) {
        partial_.append(piece);
      } else if (partial_.empty()) {
        on_line(piece, false);
      } else {
        partial_.append(piece);
        on_line(std::string_view(partial_), false);
        partial_.clear();
      }
    }
  }

  // At the end of the stream: delivers the partial last line, if any (not
  // too long: that one was delivered already), and starts over.
  template <typename Fn>
  void Finish(Fn&& on_line) {
    if (!partial_.empty() && !skipping_) on_line(std::string_view(partial_), false);
    Reset();
  }

  // Forgets the partial line (the stream starts over, e.g. a truncated file).
  void Reset() {
    partial_.clear();
    skipping_ = false;
  }

 private:
  size_t max_line_bytes_;
  std::string partial_;
  bool skipping_ = false;  // inside a line over the cap, until its newline
};

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_UTIL_LINES_H_
