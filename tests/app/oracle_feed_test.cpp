// `glassbook oracle-feed` against a served exchange on 127.0.0.1: the sources' reports arrive over
// HTTP, are journaled as OracleReports with their signatures and set the index; the perpetual
// traders then quote around the exchange's own index.
#include "api/beast_http.h"  // first: before any other Beast header pulls in the parser

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "app/demo_perpetuals.h"
#include "app/demo_traders.h"
#include "app/exchange_server.h"
#include "app/oracle_feed.h"
#include "journal/reader.h"
#include "loopback_demo.h"

namespace glassbook::app {
namespace {

TEST(OracleFeed, ReportsOverHttpSetTheIndexAndAreJournaledSigned) {
  char tmpl[] = "/tmp/glassbook-oracle-feed-XXXXXX";
  const char* dir = ::mkdtemp(tmpl);
  ASSERT_NE(dir, nullptr);
  {
    auto started = ExchangeServer::start(testing::loopback_demo(dir));
    ASSERT_TRUE(started.is_ok()) << started.status().to_string();
    ExchangeServer& ex = **started;
    EXPECT_FALSE(ex.view().index_price(kDemoBtc).has_value());  // no source has spoken yet

    OracleFeedOptions o;
    o.url = ex.url();
    o.interval_seconds = 0.2;
    o.seconds = 1.0;
    o.quiet = true;
    EXPECT_EQ(run_oracle_feed(o), 0);
    const auto btc = ex.view().index_price(kDemoBtc);
    ASSERT_TRUE(btc.has_value());
    EXPECT_GT(*btc, 55'000'000'000);
    EXPECT_LT(*btc, 65'000'000'000);

    // Perpetual traders quote around the exchange's own index when the feeder is another process.
    DemoTraders traders(ex.node(), ex.view(), ex.keys(), 2, 200, [&ex](AssetId a) { return ex.view().index_price(a).value_or(0); });
    o.seconds = 1.5;
    EXPECT_EQ(run_oracle_feed(o), 0);
    traders.stop();
    EXPECT_GT(traders.perp_stats().orders, 0u);
    ex.stop();
  }
  // Every report is in the journal as kind 12 with a signature of its source over its bytes.
  std::vector<journal::Record> records;
  journal::ScanOptions scan;
  scan.repair = false;
  ASSERT_TRUE(journal::scan_journal(dir, scan, journal::collect_records(records)).is_ok());
  const DemoKeys keys = demo_keys();
  size_t reports = 0;
  for (const journal::Record& r : records) {
    if (r.kind != 12) continue;
    ++reports;
    EXPECT_TRUE(crypto::verify(r.signer, r.signed_bytes, r.signature));
    bool from_source = false;
    for (const auto& k : keys.oracle_sources) from_source = from_source || k.public_key() == r.signer;
    EXPECT_TRUE(from_source);
  }
  EXPECT_GE(reports, 25u);  // five sources, at least five rounds in 1 s at 0.2 s, then more
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

}  // namespace
}  // namespace glassbook::app
