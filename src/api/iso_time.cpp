// UTC calendar arithmetic: civil dates from day counts (era-based, 400-year cycles) and ISO texts.
#include "api/iso_time.h"

#include <cstdio>

namespace glassbook::api {

namespace {
constexpr int64_t kDaySeconds = 86'400;
constexpr int64_t kEraDays = 146'097;  // days in 400 Gregorian years

// Days of a March-based year (March = month 0) up to the start of month `m` (0..11): 153-day blocks of five months.
int64_t days_before_march_month(int m) { return (153 * m + 2) / 5; }

std::string format(int64_t seconds, char separator, int millis) {
  const int64_t days = floor_div(seconds, kDaySeconds);
  const int64_t in_day = seconds - days * kDaySeconds;
  const CivilDate d = civil_from_days(days);
  char buf[48];
  int n = std::snprintf(buf, sizeof buf, "%04lld-%02d-%02d%c%02d:%02d:%02d", static_cast<long long>(d.year), d.month, d.day,
                        separator, static_cast<int>(in_day / 3600), static_cast<int>(in_day / 60 % 60),
                        static_cast<int>(in_day % 60));
  if (millis >= 0) n += std::snprintf(buf + n, sizeof buf - static_cast<size_t>(n), ".%03d", millis);
  return std::string(buf, static_cast<size_t>(n));
}
}  // namespace

int64_t days_from_civil(const CivilDate& d) {
  // Count years from March so that the leap day ends the year.
  const int64_t y = d.month <= 2 ? d.year - 1 : d.year;
  const int64_t era = floor_div(y, 400);
  const int64_t year_of_era = y - era * 400;                      // 0..399
  const int march_month = d.month > 2 ? d.month - 3 : d.month + 9;  // 0..11
  const int64_t day_of_year = days_before_march_month(march_month) + d.day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * kEraDays + day_of_era - 719'468;  // 719468: days from 0000-03-01 to 1970-01-01
}

CivilDate civil_from_days(int64_t days) {
  const int64_t z = days + 719'468;
  const int64_t era = floor_div(z, kEraDays);
  const int64_t day_of_era = z - era * kEraDays;  // 0..146096
  const int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36'524 - day_of_era / (kEraDays - 1)) / 365;
  const int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int march_month = static_cast<int>((5 * day_of_year + 2) / 153);
  const int day = static_cast<int>(day_of_year - days_before_march_month(march_month) + 1);
  const int month = march_month < 10 ? march_month + 3 : march_month - 9;
  const int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  return {year, month, day};
}

std::string iso_millis(Timestamp micros) {
  const int64_t ms = floor_div(micros, 1000);
  const int64_t s = floor_div(ms, 1000);
  return format(s, 'T', static_cast<int>(ms - s * 1000));
}

std::string iso_seconds(int64_t seconds) { return format(seconds, 'T', -1); }
std::string spaced_seconds(int64_t seconds) { return format(seconds, ' ', -1); }

int64_t month_start(int64_t seconds) {
  const CivilDate d = civil_from_days(floor_div(seconds, kDaySeconds));
  return days_from_civil({d.year, d.month, 1}) * kDaySeconds;
}

int64_t next_month_start(int64_t seconds) {
  const CivilDate d = civil_from_days(floor_div(seconds, kDaySeconds));
  const CivilDate next = d.month == 12 ? CivilDate{d.year + 1, 1, 1} : CivilDate{d.year, d.month + 1, 1};
  return days_from_civil(next) * kDaySeconds;
}

}  // namespace glassbook::api
