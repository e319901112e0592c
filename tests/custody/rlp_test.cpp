// RLP: the examples of the Ethereum RLP specification (ethereum.org, "Recursive-length prefix"),
// decoding them back, and strict refusal of non-canonical and malformed encodings.
#include "custody/rlp.h"

#include <gtest/gtest.h>

#include "custody/eth_hex.h"

namespace glassbook::custody {
namespace {

rlp::Bytes hex(std::string_view text) { return eth::parse_data(text).value(); }
std::string hex_of(const rlp::Bytes& b) { return eth::data_hex(b); }

TEST(Rlp, SpecificationExamples) {
  EXPECT_EQ(hex_of(rlp::encode_string("dog")), "0x83646f67");
  EXPECT_EQ(hex_of(rlp::encode_list({rlp::encode_string("cat"), rlp::encode_string("dog")})), "0xc88363617483646f67");
  EXPECT_EQ(hex_of(rlp::encode_string("")), "0x80");
  EXPECT_EQ(hex_of(rlp::encode_list({})), "0xc0");
  EXPECT_EQ(hex_of(rlp::encode_uint(0)), "0x80");
  EXPECT_EQ(hex_of(rlp::encode_bytes(hex("0x00"))), "0x00");
  EXPECT_EQ(hex_of(rlp::encode_bytes(hex("0x0f"))), "0x0f");
  EXPECT_EQ(hex_of(rlp::encode_uint(15)), "0x0f");
  EXPECT_EQ(hex_of(rlp::encode_uint(1024)), "0x820400");
  EXPECT_EQ(hex_of(rlp::encode_big_uint(hex("0x000400"))), "0x820400");
  // The set-theoretical representation of three: [ [], [[]], [ [], [[]] ] ].
  const rlp::Bytes empty = rlp::encode_list({});
  const rlp::Bytes one = rlp::encode_list({empty});
  EXPECT_EQ(hex_of(rlp::encode_list({empty, one, rlp::encode_list({empty, one})})), "0xc7c0c1c0c3c0c1c0");
  // 56 bytes: the first string that needs the long form.
  const std::string lorem = "Lorem ipsum dolor sit amet, consectetur adipisicing elit";
  ASSERT_EQ(lorem.size(), 56u);
  const rlp::Bytes encoded = rlp::encode_string(lorem);
  EXPECT_EQ(hex_of({encoded.begin(), encoded.begin() + 3}), "0xb8384c");
  EXPECT_EQ(encoded.size(), 58u);
}

TEST(Rlp, LongListsAndRoundTrips) {
  std::vector<rlp::Bytes> items;
  for (int i = 0; i < 100; ++i) items.push_back(rlp::encode_uint(static_cast<uint64_t>(i) * 1000));
  const rlp::Bytes list = rlp::encode_list(items);
  EXPECT_EQ(list[0], 0xf9);  // a payload of 256 to 65,535 bytes: two length bytes
  auto decoded = rlp::decode(list);
  ASSERT_TRUE(decoded) << decoded.status().to_string();
  ASSERT_TRUE(decoded->is_list);
  ASSERT_EQ(decoded->items.size(), 100u);
  EXPECT_EQ(decoded->items[2].bytes, hex("0x07d0"));
  EXPECT_EQ(decoded->items[0].bytes, rlp::Bytes{});

  const std::string big(70000, 'x');
  auto back = rlp::decode(rlp::encode_string(big));
  ASSERT_TRUE(back);
  EXPECT_EQ(std::string(back->bytes.begin(), back->bytes.end()), big);
}

TEST(Rlp, RefusesMalformedAndNonCanonical) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"0x", "truncated item"},
      {"0x83646f", "truncated payload"},
      {"0x8100", "single byte below 0x80"},         // 0x00 must be encoded as itself
      {"0xb80164", "long form for a short length"},  // a 1-byte string in the long form
      {"0xb9000138", "leading zero"},
      {"0xc883636174", "truncated payload"},
      {"0x83646f6700", "trailing bytes"},
      {"0xbf", "truncated length"},
      {"0xc2c3c0", "truncated payload"},  // an inner list longer than its outer one
  };
  for (const auto& [text, why] : cases) {
    auto r = rlp::decode(hex(text));
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.code(), Error::InvalidArgument) << text;
    EXPECT_NE(r.status().message().find(why), std::string::npos) << text << ": " << r.status().message();
  }
  rlp::Bytes deep;
  for (int i = 0; i < 65; ++i) deep = rlp::encode_list({deep.empty() ? rlp::encode_list({}) : deep});
  EXPECT_FALSE(rlp::decode(deep));
}

}  // namespace
}  // namespace glassbook::custody
