// Accept-Encoding negotiation for gzip responses (the compression itself is
// exporter/util/gzip_parts.h).
#ifndef MAILREP_EXPORTER_HTTP_GZIP_H_
#define MAILREP_EXPORTER_HTTP_GZIP_H_

#include <string_view>

namespace mailrep {

// True when an Accept-Encoding value lists gzip (or "*") without q=0.
bool AcceptsGzip(std::string_view accept_encoding);

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_HTTP_GZIP_H_
