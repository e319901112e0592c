// C2SP tlog-tiles resource names: tile/<L>/<N>[.p/<W>] and tile/entries/<N>[.p/<W>], with <N> in
// 3-digit path elements (1234067 is x001/x234/067), as files on disk and as HTTP paths.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace glassbook::journal {

inline constexpr unsigned kMaxTileLevel = 63;

// A hash tile (level L, index N) or an entry bundle (index N), `width` hashes or entries wide
// (256: a full tile; 1 to 255: a partial one, named with .p/<W>).
struct TileCoord {
  bool entries = false;  // an entry bundle; `level` is then 0
  unsigned level = 0;
  uint64_t index = 0;
  unsigned width = 256;

  bool full() const { return width == 256; }
  bool operator==(const TileCoord&) const = default;
};

// "x001/x234/067" for 1234067, "005" for 5.
std::string encode_tile_index(uint64_t index);
// "tile/0/x001/x234/067", "tile/2/005.p/17", "tile/entries/000". Precondition: level <= 63, width 1..256.
std::string tile_path(const TileCoord& coord);
// The strict inverse of tile_path (the part after the log's prefix, e.g. "tile/0/005.p/17"): only the
// canonical name of a tile is accepted (no leading zero in <L> or <W>, no needless x000 element, W
// from 1 to 255, L at most 63, N within 64 bits). InvalidArgument naming what is wrong.
Result<TileCoord> parse_tile_path(std::string_view path);

}  // namespace glassbook::journal
