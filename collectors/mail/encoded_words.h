// RFC 2047 encoded-words in header text ("=?utf-8?B?ZXZpbC5leGU=?=", "=?iso-8859-1?Q?a_b?="):
// decoded to their bytes, the charset dropped (no conversion: the content
// analysis needs the ASCII of a file name's extension, not its letters).
// White space between two adjacent encoded-words goes, as the RFC says;
// anything that is not a well-formed encoded-word stays as written. The
// output is never longer than the input. Pure; thread-safe.
#ifndef MAILREP_COLLECTORS_MAIL_ENCODED_WORDS_H_
#define MAILREP_COLLECTORS_MAIL_ENCODED_WORDS_H_

#include <string>
#include <string_view>

namespace mailrep {

std::string DecodeEncodedWords(std::string_view text);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_MAIL_ENCODED_WORDS_H_
