#include "exporter/util/civil_date.h"

#include <gtest/gtest.h>

#include <ctime>

namespace mailrep {
namespace {

TEST(CivilDate, KnownDays) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
  EXPECT_EQ(UnixSecondsFromCivil(2026, 12, 7, 20, 31, 17), 1796675477);
}

TEST(CivilDate, AgreesWithTimegmAcrossLeapYears) {
  for (int year : {1900, 1970, 1999, 2000, 2024, 2100, 2400}) {
    for (unsigned month = 1; month <= 12; ++month) {
      for (unsigned day : {1u, 28u}) {
        std::tm tm{};
        tm.tm_year = year - 1900;
        tm.tm_mon = static_cast<int>(month) - 1;
        tm.tm_mday = static_cast<int>(day);
        tm.tm_hour = 13;
        EXPECT_EQ(UnixSecondsFromCivil(year, month, day, 13, 0, 0), timegm(&tm))
            << year << "-" << month << "-" << day;
      }
    }
  }
  std::tm leap{};
  leap.tm_year = 2024 - 1900;
  leap.tm_mon = 1;
  leap.tm_mday = 29;
  EXPECT_EQ(DaysFromCivil(2024, 2, 29) * 86400, timegm(&leap));
}

}  // namespace
}  // namespace mailrep
