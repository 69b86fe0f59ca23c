#include "collectors/auth/psl.h"

#include <libpsl.h>

#include <cstdio>

#include "collectors/dns/dns_types.h"

namespace mailrep {

PublicSuffixList::~PublicSuffixList() { psl_free(ctx_); }

StatusOr<std::unique_ptr<PublicSuffixList>> PublicSuffixList::LoadFile(const std::string& path) {
  psl_ctx_t* ctx = psl_load_file(path.c_str());
  if (ctx == nullptr) return Status::IoError(path + ": cannot load the Public Suffix List");
  return std::unique_ptr<PublicSuffixList>(new PublicSuffixList(ctx));
}

StatusOr<std::unique_ptr<PublicSuffixList>> PublicSuffixList::FromText(std::string_view text) {
  std::string copy(text);
  FILE* file = fmemopen(copy.data(), copy.size(), "r");
  if (file == nullptr) return Status::Internal("fmemopen failed");
  psl_ctx_t* ctx = psl_load_fp(file);
  std::fclose(file);
  if (ctx == nullptr) return Status::InvalidArgument("cannot parse the Public Suffix List text");
  return std::unique_ptr<PublicSuffixList>(new PublicSuffixList(ctx));
}

StatusOr<std::unique_ptr<PublicSuffixList>> PublicSuffixList::Latest() {
  psl_ctx_t* ctx = psl_latest(nullptr);
  if (ctx == nullptr) return Status::NotFound("no Public Suffix List data available");
  return std::unique_ptr<PublicSuffixList>(new PublicSuffixList(ctx));
}

std::string PublicSuffixList::OrganizationalDomain(std::string_view domain) const {
  std::string name = NormalizeDnsName(domain);
  const char* registrable = psl_registrable_domain(ctx_, name.c_str());
  return registrable == nullptr ? name : std::string(registrable);
}

bool PublicSuffixList::IsPublicSuffix(std::string_view domain) const {
  std::string name = NormalizeDnsName(domain);
  return psl_is_public_suffix(ctx_, name.c_str()) != 0;
}

}  // namespace mailrep
