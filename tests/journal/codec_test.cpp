// decode_body is the exact inverse of signing_bytes and refuses every other input.
#include <gtest/gtest.h>

#include <random>

#include "engine/command.h"
#include "engine/command_codec.h"

namespace glassbook::engine {
namespace {

CommandBody random_body(std::mt19937_64& rng) {
  auto u = [&] { return rng(); };
  switch (rng() % 6) {
    case 0: {
      RegisterAccount c;
      for (auto& b : c.key) b = static_cast<uint8_t>(u());
      return c;
    }
    case 1:
      return Deposit{static_cast<AccountId>(u()), static_cast<AssetId>(u()), static_cast<int64_t>(u()), u()};
    case 2: {
      PlaceOrder c;
      c.account = static_cast<AccountId>(u());
      c.market = static_cast<MarketId>(u());
      c.side = static_cast<Side>(u() % 2);
      c.type = static_cast<OrderType>(u() % 2);
      c.tif = static_cast<TimeInForce>(u() % 4);
      c.stp = static_cast<Stp>(u() % 3);
      c.price = static_cast<int64_t>(u());
      c.quantity = static_cast<int64_t>(u());
      c.client_id = static_cast<uint32_t>(u());
      return c;
    }
    case 3:
      return CancelOrder{static_cast<AccountId>(u()), static_cast<MarketId>(u()), u(), static_cast<uint32_t>(u())};
    case 4:
      return CancelAll{static_cast<AccountId>(u()), static_cast<MarketId>(u())};
    default:
      return AmendOrder{static_cast<AccountId>(u()), static_cast<MarketId>(u()), u(), static_cast<int64_t>(u()),
                        static_cast<int64_t>(u())};
  }
}

// Field-by-field equality through the canonical bytes plus the variant index.
void expect_same(const CommandBody& a, const CommandBody& b) {
  ASSERT_EQ(a.index(), b.index());
  EXPECT_EQ(signing_bytes(a), signing_bytes(b));
}

TEST(CommandCodec, RoundTripsRandomBodies) {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 20000; ++i) {
    const CommandBody body = random_body(rng);
    const std::string bytes = signing_bytes(body);
    auto decoded = decode_body(bytes);
    ASSERT_TRUE(decoded.is_ok()) << decoded.status().to_string();
    expect_same(*decoded, body);
  }
}

TEST(CommandCodec, DecodesEveryFieldOfAnOrder) {
  PlaceOrder p;
  p.account = 0x01020304;
  p.market = 0x0506;
  p.side = Side::Sell;
  p.type = OrderType::Market;
  p.tif = TimeInForce::PostOnly;
  p.stp = Stp::CancelBoth;
  p.price = -7;
  p.quantity = 0x1122334455667788;
  p.client_id = 99;
  auto d = decode_body(signing_bytes(p));
  ASSERT_TRUE(d.is_ok());
  const auto& q = std::get<PlaceOrder>(*d);
  EXPECT_EQ(q.account, p.account);
  EXPECT_EQ(q.market, p.market);
  EXPECT_EQ(q.side, p.side);
  EXPECT_EQ(q.type, p.type);
  EXPECT_EQ(q.tif, p.tif);
  EXPECT_EQ(q.stp, p.stp);
  EXPECT_EQ(q.price, p.price);
  EXPECT_EQ(q.quantity, p.quantity);
  EXPECT_EQ(q.client_id, p.client_id);
}

TEST(CommandCodec, SignedSizesMatchTheDocumentedTable) {
  // docs/journal.md lists these sizes; keep them in step.
  EXPECT_EQ(signing_bytes(RegisterAccount{}).size(), 53u);
  EXPECT_EQ(signing_bytes(Deposit{}).size(), 43u);
  EXPECT_EQ(signing_bytes(PlaceOrder{}).size(), 51u);
  EXPECT_EQ(signing_bytes(CancelOrder{}).size(), 39u);
  EXPECT_EQ(signing_bytes(CancelAll{}).size(), 27u);
  EXPECT_EQ(signing_bytes(AmendOrder{}).size(), 51u);
}

TEST(CommandCodec, RefusesEveryTruncationAndExtension) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 300; ++i) {
    const std::string bytes = signing_bytes(random_body(rng));
    for (size_t n = 0; n < bytes.size(); ++n) {
      auto d = decode_body(bytes.substr(0, n));
      ASSERT_FALSE(d.is_ok()) << "accepted a prefix of " << n << " of " << bytes.size() << " bytes";
      EXPECT_EQ(d.code(), Error::InvalidArgument);
    }
    for (int extra = 1; extra <= 3; ++extra) {
      auto d = decode_body(bytes + std::string(static_cast<size_t>(extra), '\0'));
      ASSERT_FALSE(d.is_ok());
      EXPECT_NE(d.status().message().find("trailing"), std::string::npos) << d.status().message();
    }
  }
}

TEST(CommandCodec, RefusesWrongDomainTagAndUnknownKind) {
  std::string bytes = signing_bytes(CancelAll{17, 0});
  std::string wrong_tag = bytes;
  wrong_tag[10] ^= 0x20;
  auto d = decode_body(wrong_tag);
  ASSERT_FALSE(d.is_ok());
  EXPECT_NE(d.status().message().find("domain tag"), std::string::npos);

  for (int kind = static_cast<int>(std::variant_size_v<CommandBody>); kind < 256; ++kind) {
    std::string k = bytes;
    k[kCommandDomainTag.size()] = static_cast<char>(kind);
    auto r = decode_body(k);
    ASSERT_FALSE(r.is_ok());
    EXPECT_NE(r.status().message().find("unknown kind"), std::string::npos);
  }
}

TEST(CommandCodec, RefusesOutOfRangeEnums) {
  PlaceOrder p;
  p.account = 16;
  const std::string bytes = signing_bytes(p);
  // Offsets of side, type, tif, stp after the tag and kind byte, account (4) and market (2).
  const size_t base = kCommandDomainTag.size() + 1 + 4 + 2;
  const struct {
    size_t offset;
    int max;
    const char* name;
  } fields[] = {{base, 1, "side"}, {base + 1, 1, "order type"}, {base + 2, 3, "time in force"}, {base + 3, 2, "stp"}};
  for (const auto& f : fields) {
    for (int v = 0; v < 256; ++v) {
      std::string b = bytes;
      b[f.offset] = static_cast<char>(v);
      auto d = decode_body(b);
      if (v <= f.max) {
        EXPECT_TRUE(d.is_ok()) << f.name << " " << v;
      } else {
        ASSERT_FALSE(d.is_ok()) << f.name << " " << v;
        EXPECT_NE(d.status().message().find(f.name), std::string::npos) << d.status().message();
      }
    }
  }
}

}  // namespace
}  // namespace glassbook::engine
