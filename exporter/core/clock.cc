#include "exporter/core/clock.h"

namespace mailrep {
namespace {

class RealClock : public Clock {
 public:
  std::chrono::steady_clock::time_point SteadyNow() const override {
    return std::chrono::steady_clock::now();
  }
  std::chrono::system_clock::time_point WallNow() const override {
    return std::chrono::system_clock::now();
  }
};

}  // namespace

int64_t Clock::UnixSeconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(WallNow().time_since_epoch()).count();
}

const std::shared_ptr<const Clock>& Clock::Real() {
  static const std::shared_ptr<const Clock> real = std::make_shared<RealClock>();
  return real;
}

}  // namespace mailrep
