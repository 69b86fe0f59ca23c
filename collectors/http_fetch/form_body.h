// FormUrlEncoded(): the body of an application/x-www-form-urlencoded POST
// (what an OAuth 2.0 token endpoint takes, RFC 6749 §4.1.3 and appendix B),
// to send through an HttpFetcher with that Content-Type. Stateless;
// thread-safe.
#ifndef MAILREP_COLLECTORS_HTTP_FETCH_FORM_BODY_H_
#define MAILREP_COLLECTORS_HTTP_FETCH_FORM_BODY_H_

#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace mailrep {

using FormField = std::pair<std::string_view, std::string_view>;

// "name=value&name=value" in the given order; every byte of a name or value
// other than the RFC 3986 unreserved ones (letters, digits, "-._~") is
// percent-encoded with upper-case hex (a space as "%20").
std::string FormUrlEncoded(std::span<const FormField> fields);

// One value encoded as FormUrlEncoded() encodes it.
std::string FormUrlEncode(std::string_view value);

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_HTTP_FETCH_FORM_BODY_H_
