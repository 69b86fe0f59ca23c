// A pure parser of Exim spool header files (input/<id>-H), per the Exim
// specification's "Format of spool files": the file name, "login uid gid",
// "<sender>", "time warnings", option lines starting with '-' (some, like
// -aclc/-aclm, carry a value of a given length on the next lines), the
// non-recipients tree ("XX" when empty; else pre-order lines "YN addr" whose
// two letters say whether a left / right subtree follows), the recipient
// count and list, a blank line, then headers "<len><flag> text".
// Also the msglog (msglog/<id>) deferral lines. Memory is bounded by the
// max_* options whatever the input.
#ifndef MAILREP_COLLECTORS_QUEUE_EXIM_HEADER_FILE_H_
#define MAILREP_COLLECTORS_QUEUE_EXIM_HEADER_FILE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/util/status.h"

namespace mailrep {

struct EximHeaderInfo {
  std::string id;              // from the first line, without "-H"
  std::string sender;          // without the angle brackets; "" for <>
  std::string login;           // line 2's login (the submitting user, or Exim's own)
  std::string auth_id;         // -auth_id: the authenticated login
  std::string auth_sender;     // -auth_sender: the AUTH= sender
  std::string ident;           // -ident: the RFC 1413 ident, or the local user
  std::string host_address;    // -host_address without ".port": the SMTP client
  bool local = false;          // -local: submitted by a local process
  int64_t arrival_time = 0;    // Unix seconds
  bool frozen = false;         // -frozen
  bool first_delivery = true;  // -deliver_firsttime: no delivery attempt yet
  uint64_t recipients = 0;     // the recipient list's length
  uint64_t delivered = 0;      // recipients found in the non-recipients tree
  // Pending recipients (the list minus the tree), the first max_kept ones.
  std::vector<std::string> pending;
  uint64_t pending_count = 0;
  uint64_t header_bytes = 0;  // sum of the header lengths (deleted '*' ones excluded)
};

struct EximHeaderOptions {
  size_t max_kept_recipients = 1000;
  size_t max_tree_nodes = 100000;
};

// InvalidArgument naming the line for anything that is not a complete -H
// file (truncated, a bad count or length, an unterminated tree).
StatusOr<EximHeaderInfo> ParseEximHeaderFile(std::string_view data,
                                             const EximHeaderOptions& options = {});

// Exim's queue-listing size: headers + body + 1, where the body is the -D
// file without its first line ("<id>-D\n").
uint64_t EximMessageSize(const EximHeaderInfo& info, uint64_t data_file_size);

struct EximDeferral {
  std::string recipient;
  std::string reason;  // the text after "defer (<errno>) ...: ", at most 1024 bytes
};

// The "defer" lines of a msglog, in file order; other lines are skipped.
std::vector<EximDeferral> ParseEximMsglogDeferrals(std::string_view text,
                                                   size_t max_entries = 1000);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_QUEUE_EXIM_HEADER_FILE_H_
