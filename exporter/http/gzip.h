// gzip for HTTP responses (zlib), and Accept-Encoding negotiation.
#ifndef MAILREP_EXPORTER_HTTP_GZIP_H_
#define MAILREP_EXPORTER_HTTP_GZIP_H_

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <string_view>

namespace mailrep {

// True when an Accept-Encoding value lists gzip (or "*") without q=0.
bool AcceptsGzip(std::string_view accept_encoding);

struct FreeDeleter {
  void operator()(char* p) const { std::free(p); }
};

// Compresses `in` as one gzip member. Returns a malloc'ed buffer (so it can be
// handed to libmicrohttpd with MHD_RESPMEM_MUST_FREE) and its size in
// `*out_size`; nullptr on failure. Reuses a per-thread zlib stream, so it is
// thread-safe and allocation-light.
std::unique_ptr<char, FreeDeleter> GzipCompress(std::string_view in, size_t* out_size);

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_HTTP_GZIP_H_
