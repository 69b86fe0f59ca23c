// The few IMAP (RFC 9051/3501) server responses the IMAP report source reads,
// as libcurl hands them over (one response line a "\n"-ended line, CR kept):
//   * OK [UIDVALIDITY 3857529045] UIDs valid         (SELECT)
//   * SEARCH 2 84 882                                (UID SEARCH)
//   * 12 FETCH (UID 84 RFC822.SIZE 4410 FLAGS (\Seen)) (UID FETCH ... (FLAGS RFC822.SIZE))
// and UidSet(), which writes a UID set for a command. Lines of any other
// shape are skipped; a number out of range or a cut-off line ends that line's
// parse, never the process (a fuzzer feeds every parser). Stateless;
// thread-safe.
#ifndef MAILREP_COLLECTORS_REPORTS_IMAP_RESPONSES_H_
#define MAILREP_COLLECTORS_REPORTS_IMAP_RESPONSES_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mailrep {

// The UIDVALIDITY of an untagged "* OK [UIDVALIDITY n]" line; nullopt for
// any other line.
std::optional<uint32_t> ParseUidValidity(std::string_view line);

// The UIDs of every "* SEARCH ..." line in `body`, ascending, without
// repeats, at most `max` (the lowest). A token that is not a number in
// 1..2^32-1 ends its line: a line the transport cut short yields the UIDs
// before the cut (the caller confirms each with ParseFetchInfo's flags).
std::vector<uint32_t> ParseSearchUids(std::string_view body, size_t max);

struct ImapMessageInfo {
  uint32_t uid = 0;
  uint64_t size = 0;  // RFC822.SIZE
  bool seen = false;  // \Seen among FLAGS
};

// One entry per "* n FETCH (...)" line in `body` that has both UID and
// RFC822.SIZE (FLAGS absent: not seen), in the order received.
std::vector<ImapMessageInfo> ParseFetchInfo(std::string_view body);

// "1:3,7,9:12" for ascending UIDs (repeats allowed); "" for none.
std::string UidSet(std::span<const uint32_t> ascending);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_REPORTS_IMAP_RESPONSES_H_
