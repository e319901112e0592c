// tlog-tiles names: the index in 3-digit elements, and a strict parser that takes only canonical names.
#include <gtest/gtest.h>

#include "journal/tile_path.h"

namespace glassbook::journal {
namespace {

TEST(TilePath, EncodesTheIndexInThreeDigitElements) {
  EXPECT_EQ(encode_tile_index(0), "000");
  EXPECT_EQ(encode_tile_index(5), "005");
  EXPECT_EQ(encode_tile_index(999), "999");
  EXPECT_EQ(encode_tile_index(1000), "x001/000");
  EXPECT_EQ(encode_tile_index(1234067), "x001/x234/067");  // the spec's example
  EXPECT_EQ(encode_tile_index(UINT64_MAX), "x018/x446/x744/x073/x709/x551/615");
  EXPECT_EQ(tile_path({false, 0, 1234067, 256}), "tile/0/x001/x234/067");
  EXPECT_EQ(tile_path({false, 2, 5, 17}), "tile/2/005.p/17");
  EXPECT_EQ(tile_path({true, 0, 273, 112}), "tile/entries/273.p/112");
}

TEST(TilePath, ParsesCanonicalNamesBack) {
  for (const TileCoord& c : {TileCoord{false, 0, 0, 256}, TileCoord{false, 63, 1234067, 1}, TileCoord{true, 0, 999, 255},
                             TileCoord{false, 1, UINT64_MAX, 256}, TileCoord{true, 0, 1000, 256}}) {
    auto back = parse_tile_path(tile_path(c));
    ASSERT_TRUE(back.is_ok()) << tile_path(c) << ": " << back.status().to_string();
    EXPECT_EQ(*back, c) << tile_path(c);
  }
}

TEST(TilePath, RefusesEveryOtherName) {
  for (const char* bad : {"", "tile", "tile/0", "tile/0/", "tiles/0/000", "tile/00/000", "tile/64/000", "tile/-1/000",
                          "tile/0/5", "tile/0/0005", "tile/0/x000/005", "tile/0/001/002", "tile/0/x001", "tile/0/x1/000",
                          "tile/0/000.p/0", "tile/0/000.p/256", "tile/0/000.p/05", "tile/0/000.p/", "tile/0/000.p",
                          "tile/0/000.p/1/2", "tile/entries/00a", "tile/entries/000.q/1", "tile/0/x018/x446/x744/x073/x709/x551/616",
                          "tile/0/x001/x002/x003/x004/x005/x006/x007/008", "tile/0/000/", "tile//000", "tile/0/ 000"}) {
    auto r = parse_tile_path(bad);
    EXPECT_FALSE(r.is_ok()) << '"' << bad << '"';
    if (!r.is_ok()) {
      EXPECT_EQ(r.status().code(), Error::InvalidArgument) << bad;
    }
  }
}

}  // namespace
}  // namespace glassbook::journal
