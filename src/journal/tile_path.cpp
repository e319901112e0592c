// tlog-tiles names: index encoding in 3-digit elements and the strict parser of tile paths.
#include "journal/tile_path.h"

#include <fmt/format.h>

#include <optional>
#include <vector>

#include "core/assert.h"

namespace glassbook::journal {

namespace {

Status bad(std::string_view path, std::string_view why) {
  return Status(Error::InvalidArgument, fmt::format("bad tile path '{}': {}", path, why));
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// A decimal without leading zeros (or "0") no larger than `max`.
std::optional<uint64_t> small_decimal(std::string_view s, uint64_t max) {
  if (!all_digits(s) || s.size() > 3 || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) v = v * 10 + static_cast<uint64_t>(c - '0');
  if (v > max) return std::nullopt;
  return v;
}

std::vector<std::string_view> split(std::string_view s) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (;;) {
    const size_t slash = s.find('/', start);
    parts.push_back(s.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) return parts;
    start = slash + 1;
  }
}

}  // namespace

std::string encode_tile_index(uint64_t index) {
  std::string out = fmt::format("{:03}", index % 1000);
  for (index /= 1000; index > 0; index /= 1000) out = fmt::format("x{:03}/{}", index % 1000, out);
  return out;
}

std::string tile_path(const TileCoord& coord) {
  GB_ASSERT(coord.level <= kMaxTileLevel && coord.width >= 1 && coord.width <= 256);
  std::string out = coord.entries ? std::string("tile/entries/") : fmt::format("tile/{}/", coord.level);
  out += encode_tile_index(coord.index);
  if (!coord.full()) out += fmt::format(".p/{}", coord.width);
  return out;
}

Result<TileCoord> parse_tile_path(std::string_view path) {
  if (path.size() > 128) return bad(path.substr(0, 128), "too long");
  std::vector<std::string_view> parts = split(path);
  if (parts.size() < 3 || parts[0] != "tile") return bad(path, "expected tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>]");
  TileCoord coord;
  if (parts[1] == "entries") {
    coord.entries = true;
  } else {
    auto level = small_decimal(parts[1], kMaxTileLevel);
    if (!level) return bad(path, "the level is a decimal from 0 to 63 without leading zeros");
    coord.level = static_cast<unsigned>(*level);
  }
  size_t end = parts.size();  // one past the last index element
  if (parts[end - 2].ends_with(".p")) {
    auto width = small_decimal(parts[end - 1], 255);
    if (!width || *width == 0) return bad(path, "the width of a partial tile is a decimal from 1 to 255 without leading zeros");
    coord.width = static_cast<unsigned>(*width);
    parts[end - 2].remove_suffix(2);
    --end;
  }
  if (end - 2 > 7) return bad(path, "the index has more than 7 elements");
  unsigned __int128 index = 0;
  for (size_t i = 2; i < end; ++i) {
    std::string_view e = parts[i];
    const bool last = i + 1 == end;
    if (!last) {
      if (!e.starts_with('x')) return bad(path, "every index element but the last starts with x");
      e.remove_prefix(1);
    }
    if (e.size() != 3 || !all_digits(e)) return bad(path, "index elements are 3 digits");
    index = index * 1000 + static_cast<unsigned>((e[0] - '0') * 100 + (e[1] - '0') * 10 + (e[2] - '0'));
  }
  if (index > UINT64_MAX) return bad(path, "the index is beyond 64 bits");
  coord.index = static_cast<uint64_t>(index);
  if (tile_path(coord) != path) return bad(path, "not the canonical name (a needless x000 element?)");
  return coord;
}

}  // namespace glassbook::journal
