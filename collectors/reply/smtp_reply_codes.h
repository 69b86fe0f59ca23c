// Finds the codes in a receiver's reply text: the enhanced status code
// (RFC 3463, "5.7.26") and the three-digit SMTP reply code ("421"). Pure
// functions returning views into their argument; empty when absent.
#ifndef MAILREP_COLLECTORS_REPLY_SMTP_REPLY_CODES_H_
#define MAILREP_COLLECTORS_REPLY_SMTP_REPLY_CODES_H_

#include <string_view>

namespace mailrep {

// The first enhanced status code ("4.2.2", "5.7.26") in `text`, as a view
// into it; empty when there is none.
std::string_view FindEnhancedCode(std::string_view text);

// The first three-digit SMTP reply code ("421") at a word start in `text`, or
// empty.
std::string_view FindReplyCode(std::string_view text);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_REPLY_SMTP_REPLY_CODES_H_
