// See cli/utc_time.h.
#include "cli/utc_time.h"

#include <string>

namespace driftline {
namespace {

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return (m == 2 && IsLeapYear(y)) ? 29 : kDays[m - 1];
}

// Days in years 1 .. y-1 of the proleptic Gregorian calendar.
int64_t DaysBeforeYear(int64_t y) {
  int64_t p = y - 1;
  return 365 * p + p / 4 - p / 100 + p / 400;
}

// Reads exactly `n` digits at *pos into *out.
bool Digits(std::string_view s, size_t* pos, int n, int* out) {
  if (s.size() < *pos + n) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    char c = s[*pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

bool Expect(std::string_view s, size_t* pos, char c) {
  if (*pos >= s.size() || s[*pos] != c) return false;
  ++*pos;
  return true;
}

Status Bad(const std::string& what) { return Status::InvalidArgument("timestamp: " + what); }

}  // namespace

int64_t DaysSinceEpoch(int year, int month, int day) {
  static constexpr int kBeforeMonth[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  int64_t day_of_year = kBeforeMonth[month - 1] + (month > 2 && IsLeapYear(year) ? 1 : 0) + day - 1;
  return DaysBeforeYear(year) - DaysBeforeYear(1970) + day_of_year;
}

Result<int64_t> ParseUtcTimestampMs(std::string_view s) {
  size_t p = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!Digits(s, &p, 4, &y) || !Expect(s, &p, '-') || !Digits(s, &p, 2, &mo) || !Expect(s, &p, '-') ||
      !Digits(s, &p, 2, &d)) {
    return Bad("expected YYYY-MM-DD at the start");
  }
  if (p >= s.size() || (s[p] != ' ' && s[p] != 'T')) return Bad("expected ' ' or 'T' after the date");
  ++p;
  if (!Digits(s, &p, 2, &h) || !Expect(s, &p, ':') || !Digits(s, &p, 2, &mi) || !Expect(s, &p, ':') ||
      !Digits(s, &p, 2, &sec)) {
    return Bad("expected HH:MM:SS after the date");
  }
  if (y < 1) return Bad("year 0 out of range");
  if (mo < 1 || mo > 12) return Bad("month " + std::to_string(mo) + " out of range");
  if (d < 1 || d > DaysInMonth(y, mo)) return Bad("day " + std::to_string(d) + " out of range");
  if (h > 23 || mi > 59 || sec > 59) return Bad("time of day out of range");
  int millis = 0;
  if (p < s.size() && s[p] == '.') {
    ++p;
    int n = 0;
    while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
      if (n < 3) millis = millis * 10 + (s[p] - '0');
      ++n;
      ++p;
    }
    if (n == 0) return Bad("expected digits after '.'");
    for (int i = n; i < 3; ++i) millis *= 10;
  }
  int64_t offset_minutes = 0;
  if (p < s.size() && s[p] == 'Z') {
    ++p;
  } else if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
    int sign = s[p] == '-' ? -1 : 1;
    ++p;
    int oh = 0, om = 0;
    if (!Digits(s, &p, 2, &oh) || !Expect(s, &p, ':') || !Digits(s, &p, 2, &om) || oh > 23 || om > 59) {
      return Bad("expected a zone offset like +00:00");
    }
    offset_minutes = sign * (oh * 60 + om);
  }
  if (p != s.size()) return Bad("unexpected characters at the end");
  int64_t seconds = DaysSinceEpoch(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset_minutes * 60;
  return seconds * 1000 + millis;
}

}  // namespace driftline
