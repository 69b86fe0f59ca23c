// TestPsl(): a small public suffix list for the auth tests (com, net, org, uk,
// co.uk), parsed once and shared; test code only.
#ifndef MAILREP_COLLECTORS_AUTH_PSL_TESTING_H_
#define MAILREP_COLLECTORS_AUTH_PSL_TESTING_H_

#include <memory>

#include "collectors/auth/psl.h"

namespace mailrep {

inline std::shared_ptr<const PublicSuffixList> TestPsl() {
  static const std::shared_ptr<const PublicSuffixList> psl =
      PublicSuffixList::FromText("com\nnet\norg\nuk\nco.uk\n").value();
  return psl;
}

}  // namespace mailrep

#endif  // MAILREP_COLLECTORS_AUTH_PSL_TESTING_H_
