// Calendar dates to Unix time without the C library's time zone state: timegm
// is not in ISO C, and mktime reads TZ. Dates are proleptic Gregorian, UTC.
#ifndef MAILREP_EXPORTER_UTIL_CIVIL_DATE_H_
#define MAILREP_EXPORTER_UTIL_CIVIL_DATE_H_

#include <cstdint>

namespace mailrep {

// Days from 1970-01-01 to year-month-day (month 1..12, day 1..31; the caller
// checks ranges). Negative before 1970.
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);

// Unix seconds of year-month-day hour:minute:second UTC.
inline int64_t UnixSecondsFromCivil(int64_t year, unsigned month, unsigned day, int64_t hour,
                                    int64_t minute, int64_t second) {
  return DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
}

}  // namespace mailrep

#endif  // MAILREP_EXPORTER_UTIL_CIVIL_DATE_H_
