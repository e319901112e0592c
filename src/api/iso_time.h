// UTC calendar arithmetic for the API: ISO-8601 texts from microsecond timestamps, and month starts.
#pragma once
#include <cstdint>
#include <string>

#include "core/ids.h"

namespace glassbook::api {

struct CivilDate {
  int64_t year;
  int month;  // 1..12
  int day;    // 1..31
};

// Days since 1970-01-01 of a proleptic Gregorian date, and back.
int64_t days_from_civil(const CivilDate& d);
CivilDate civil_from_days(int64_t days);

// Floor division and modulo for possibly negative times.
inline int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// "2025-07-27T18:05:40.897": UTC without a zone, milliseconds (as Backpack's history endpoints give).
std::string iso_millis(Timestamp micros);
// "2025-07-27T18:05:40": UTC without a zone, whole seconds (Backpack's K-line stream).
std::string iso_seconds(int64_t seconds);
// "2025-07-27 18:05:40": UTC, whole seconds (Backpack's REST K-lines).
std::string spaced_seconds(int64_t seconds);

// The first second of the UTC month holding `seconds`, and of the month after it.
int64_t month_start(int64_t seconds);
int64_t next_month_start(int64_t seconds);

}  // namespace glassbook::api
