// The chain watcher over the simulated chain: deposits sent once their block is confirmed, once each
// (across restarts too, with an exchange that credits an id once, as the engine does), stalls that
// retry, reorgs found and reported, and its files (cursor, address book) read strictly.
#include "custody/chain_watcher.h"

#include <gtest/gtest.h>

#include <set>

#include "custody/sim_chain.h"
#include "custody/sim_keys.h"

namespace glassbook::custody {
namespace {

// The exchange as the watcher sees it: it credits a deposit id once (the engine's rule) and can be down.
struct FakeExchange {
  std::map<uint64_t, CreditedDeposit> credited;
  int calls = 0;
  bool down = false;
  SubmitResult operator()(const CreditedDeposit& d) {
    ++calls;
    if (down) return {SubmitOutcome::Unreachable, "connection refused"};
    if (d.account == 999) return {SubmitOutcome::Refused, "UNKNOWN_ACCOUNT"};
    if (!credited.emplace(d.deposit_id, d).second) return {SubmitOutcome::AlreadyCredited, "DUPLICATE_DEPOSIT"};
    return {SubmitOutcome::Accepted, "credited"};
  }
  int64_t total(uint32_t account) const {
    int64_t sum = 0;
    for (const auto& [id, d] : credited) sum += d.account == account ? d.amount : 0;
    return sum;
  }
};

struct ChainWatcherTest : ::testing::Test {
  SimChain chain{SimChainOptions{"watch", 1, 10}};
  crypto::Seed root = crypto::seed_from_label("test/deposit-root");
  std::vector<DepositAddress> book{derive_deposit_address(root, 1, "BTC"), derive_deposit_address(root, 1, "USDC"),
                                   derive_deposit_address(root, 2, "BTC"), derive_deposit_address(root, 999, "BTC")};
  FakeExchange exchange;
  SubmitDeposit submit = [this](const CreditedDeposit& d) { return exchange(d); };

  ChainWatcher watcher(WatchCursor cursor = {}, uint64_t confirmations = 3) {
    auto w = ChainWatcher::create(chain, book, ChainWatcherOptions{chain.chain_id(), confirmations, 1000}, std::move(cursor));
    EXPECT_TRUE(w) << w.status().to_string();
    return std::move(w).value();
  }
  WatchPass poll(ChainWatcher& w) {
    auto p = w.poll(submit);
    EXPECT_TRUE(p) << p.status().to_string();
    return p ? std::move(p).value() : WatchPass{};
  }
};

TEST_F(ChainWatcherTest, DepositIsSentOnceItsBlockHasTheConfirmations) {
  ChainWatcher w = watcher();
  ASSERT_TRUE(chain.faucet(book[0].address, "BTC", 5'000));
  ASSERT_TRUE(chain.faucet(address_of(crypto::KeyPair::from_seed(crypto::seed_from_label("x")).public_key()), "BTC", 1));  // not ours
  ASSERT_TRUE(chain.mine(1));  // block 1: one confirmation
  EXPECT_TRUE(poll(w).accepted.empty());
  ASSERT_TRUE(chain.mine(1));
  EXPECT_TRUE(poll(w).accepted.empty());
  ASSERT_TRUE(chain.mine(1));  // three confirmations
  WatchPass p = poll(w);
  ASSERT_EQ(p.accepted.size(), 1u);
  const CreditedDeposit& d = p.accepted[0];
  EXPECT_EQ(d.account, 1u);
  EXPECT_EQ(d.asset, "BTC");
  EXPECT_EQ(d.amount, 5'000);
  EXPECT_EQ(d.height, 1u);
  EXPECT_EQ(d.deposit_id, deposit_id(chain.chain_id(), d.tx_id, 0));
  EXPECT_EQ(w.cursor().next_height, 2u);
  EXPECT_EQ(w.cursor().recent.back().hash, chain.block(1)->hash);
  ASSERT_TRUE(chain.mine(5));
  EXPECT_TRUE(poll(w).accepted.empty());
  EXPECT_EQ(exchange.calls, 1);
  EXPECT_EQ(exchange.total(1), 5'000);
}

TEST_F(ChainWatcherTest, AnotherAssetToAnAddressIsIgnoredAndARefusalIsReported) {
  ChainWatcher w = watcher({}, 1);
  ASSERT_TRUE(chain.faucet(book[0].address, "SOL", 7));     // account 1's BTC address
  ASSERT_TRUE(chain.faucet(book[3].address, "BTC", 9));     // an account the exchange does not know
  ASSERT_TRUE(chain.faucet(book[2].address, "BTC", 11));
  ASSERT_TRUE(chain.mine(1));
  WatchPass p = poll(w);
  ASSERT_EQ(p.ignored.size(), 1u);
  EXPECT_NE(p.ignored[0].second.find("is account 1's BTC address; it received SOL"), std::string::npos);
  ASSERT_EQ(p.refused.size(), 1u);
  EXPECT_EQ(p.refused[0].second, "UNKNOWN_ACCOUNT");
  ASSERT_EQ(p.accepted.size(), 1u);
  EXPECT_EQ(exchange.total(2), 11);
  EXPECT_EQ(w.cursor().next_height, 2u);
}

TEST_F(ChainWatcherTest, ARestartFromTheCursorFileSendsNothingTwiceAndAnOlderCursorIsRefusedByTheExchange) {
  ChainWatcher w = watcher();
  ASSERT_TRUE(chain.faucet(book[0].address, "BTC", 100));
  ASSERT_TRUE(chain.mine(1));
  const WatchCursor early = w.cursor();  // before anything was read
  ASSERT_TRUE(chain.faucet(book[2].address, "BTC", 200));
  ASSERT_TRUE(chain.mine(3));
  EXPECT_EQ(poll(w).accepted.size(), 2u);
  auto saved = parse_cursor(format_cursor(w.cursor()));
  ASSERT_TRUE(saved);
  EXPECT_EQ(*saved, w.cursor());
  ChainWatcher restarted = watcher(*saved);
  EXPECT_TRUE(poll(restarted).accepted.empty());
  EXPECT_EQ(exchange.calls, 2);
  // A cursor that lost its progress (an old backup) sends both again: the exchange refuses the ids.
  ChainWatcher rolled_back = watcher(early);
  WatchPass p = poll(rolled_back);
  EXPECT_TRUE(p.accepted.empty());
  EXPECT_EQ(p.already_credited.size(), 2u);
  EXPECT_EQ(exchange.total(1), 100);
  EXPECT_EQ(exchange.total(2), 200);
}

TEST_F(ChainWatcherTest, AnUnreachableExchangeStallsThePassBeforeTheBlockAndTheNextPassRetries) {
  ChainWatcher w = watcher({}, 1);
  ASSERT_TRUE(chain.faucet(book[0].address, "BTC", 1));
  ASSERT_TRUE(chain.mine(1));
  ASSERT_TRUE(chain.faucet(book[2].address, "BTC", 2));
  ASSERT_TRUE(chain.mine(1));
  exchange.down = true;
  WatchPass p = poll(w);
  EXPECT_EQ(p.stalled, "connection refused");
  EXPECT_EQ(w.cursor().next_height, 1u);
  exchange.down = false;
  p = poll(w);
  EXPECT_TRUE(p.stalled.empty());
  EXPECT_EQ(p.accepted.size(), 2u);
  EXPECT_EQ(w.cursor().next_height, 3u);
}

TEST_F(ChainWatcherTest, AReorgBelowTheCursorIsReportedWithTheDepositsItTookAway) {
  ChainWatcher w = watcher({}, 2);
  ASSERT_TRUE(chain.mine(2));
  ASSERT_TRUE(chain.faucet(book[0].address, "BTC", 300));
  ASSERT_TRUE(chain.mine(3));  // the deposit at height 3, confirmed at 4
  ASSERT_EQ(poll(w).accepted.size(), 1u);
  EXPECT_EQ(w.cursor().next_height, 5u);
  // A double spend wins: blocks 3 to 5 are replaced by blocks without the deposit.
  ASSERT_TRUE(chain.reorg(3, true));
  WatchPass p = poll(w);
  ASSERT_TRUE(p.reorg.has_value());
  EXPECT_EQ(p.reorg->fork_height, 2u);
  EXPECT_EQ(p.reorg->old_next_height, 5u);
  ASSERT_EQ(p.reorg->credited.size(), 1u);
  EXPECT_EQ(p.reorg->credited[0].deposit.amount, 300);
  EXPECT_FALSE(p.reorg->credited[0].still_on_chain);
  EXPECT_TRUE(p.accepted.empty());
  EXPECT_EQ(w.cursor().next_height, 6u);  // read again up to the new chain's confirmed blocks
  EXPECT_EQ(w.cursor().recent.back().hash, chain.block(5)->hash);
  EXPECT_FALSE(poll(w).reorg.has_value());
}

TEST_F(ChainWatcherTest, AReorgThatKeepsTheTransferCreditsNothingTwice) {
  ChainWatcher w = watcher({}, 2);
  ASSERT_TRUE(chain.faucet(book[0].address, "BTC", 300));
  ASSERT_TRUE(chain.mine(3));
  ASSERT_EQ(poll(w).accepted.size(), 1u);
  ASSERT_TRUE(chain.reorg(3, false));  // the transfer is mined again, in another block
  WatchPass p = poll(w);
  ASSERT_TRUE(p.reorg.has_value());
  ASSERT_EQ(p.reorg->credited.size(), 1u);
  EXPECT_TRUE(p.reorg->credited[0].still_on_chain);
  EXPECT_TRUE(p.accepted.empty());
  EXPECT_EQ(p.already_credited.size(), 1u);  // the same deposit id: the exchange refuses it
  EXPECT_EQ(exchange.total(1), 300);
}

TEST_F(ChainWatcherTest, AReorgThatRemovesACreditedDepositReversesItOnceDeliveredAndRetriesUntilThen) {
  ChainWatcher w = watcher({}, 2);
  ASSERT_TRUE(chain.mine(2));
  ASSERT_TRUE(chain.faucet(book[0].address, "BTC", 300));
  ASSERT_TRUE(chain.mine(3));
  ASSERT_EQ(poll(w).accepted.size(), 1u);
  const WatchCursor credited = w.cursor();
  ASSERT_TRUE(chain.reorg(3, true));  // the deposit is gone
  std::vector<CreditedDeposit> reversals;
  bool down = true;
  SubmitReversal reverse = [&](const CreditedDeposit& d) {
    if (down) return SubmitResult{SubmitOutcome::Unreachable, "connection refused"};
    reversals.push_back(d);
    return SubmitResult{reversals.size() == 1 ? SubmitOutcome::Accepted : SubmitOutcome::AlreadyCredited, ""};
  };
  // The exchange is down: the reversal is not delivered, the cursor stays, and nothing is read.
  auto p = w.poll(submit, reverse);
  ASSERT_TRUE(p) << p.status().to_string();
  EXPECT_FALSE(p->stalled.empty());
  ASSERT_TRUE(p->reorg.has_value());
  EXPECT_EQ(w.cursor(), credited);
  EXPECT_TRUE(reversals.empty());
  // Up again: the same reorg is found and the deposit reversed, with what was credited.
  down = false;
  p = w.poll(submit, reverse);
  ASSERT_TRUE(p) << p.status().to_string();
  EXPECT_TRUE(p->stalled.empty());
  ASSERT_EQ(reversals.size(), 1u);
  EXPECT_EQ(reversals[0], exchange.credited.begin()->second);
  EXPECT_EQ(p->reorg->credited[0].reversal, "reversal sent");
  EXPECT_EQ(w.cursor().next_height, 6u);
  // Found once: the next pass sends nothing.
  p = w.poll(submit, reverse);
  ASSERT_TRUE(p);
  EXPECT_FALSE(p->reorg.has_value());
  EXPECT_EQ(reversals.size(), 1u);
}

TEST_F(ChainWatcherTest, AReorgThatKeepsTheTransferReversesNothing) {
  ChainWatcher w = watcher({}, 2);
  ASSERT_TRUE(chain.faucet(book[0].address, "BTC", 300));
  ASSERT_TRUE(chain.mine(3));
  ASSERT_EQ(poll(w).accepted.size(), 1u);
  ASSERT_TRUE(chain.reorg(3, false));
  int reversals = 0;
  auto p = w.poll(submit, [&](const CreditedDeposit&) { return ++reversals, SubmitResult{}; });
  ASSERT_TRUE(p);
  ASSERT_TRUE(p->reorg.has_value());
  EXPECT_TRUE(p->reorg->credited[0].still_on_chain);
  EXPECT_EQ(reversals, 0);
}

TEST_F(ChainWatcherTest, AReorgDeeperThanTheRememberedBlocksStopsTheWatcher) {
  ChainWatcher w = watcher({}, 1);
  ASSERT_TRUE(chain.mine(WatchCursor::kRecentBlocks + 10));
  poll(w);
  EXPECT_EQ(w.cursor().recent.size(), WatchCursor::kRecentBlocks);
  ASSERT_TRUE(chain.reorg(WatchCursor::kRecentBlocks + 5, false));
  auto p = w.poll(submit);
  EXPECT_EQ(p.code(), Error::Corruption);
  EXPECT_NE(p.status().message().find("an operator must look"), std::string::npos);
}

TEST_F(ChainWatcherTest, ABookLargerThanOneQueryIsAskedInSeveralAndSentInChainOrder) {
  auto created = ChainWatcher::create(chain, book, ChainWatcherOptions{chain.chain_id(), 1, 1000, 1}, {});
  ASSERT_TRUE(created);
  ChainWatcher w = std::move(created).value();
  ASSERT_TRUE(chain.faucet(book[2].address, "BTC", 1));
  ASSERT_TRUE(chain.mine(1));
  ASSERT_TRUE(chain.faucet(book[0].address, "BTC", 2));
  ASSERT_TRUE(chain.faucet(book[1].address, "USDC", 3));
  ASSERT_TRUE(chain.mine(1));
  WatchPass p = poll(w);
  ASSERT_EQ(p.accepted.size(), 3u);
  EXPECT_EQ(p.accepted[0].amount, 1);
  EXPECT_EQ(p.accepted[0].height, 1u);
  EXPECT_EQ(p.accepted[1].height, 2u);
  EXPECT_EQ(p.accepted[2].height, 2u);
  EXPECT_EQ(exchange.total(1), 5);
}

// A chain adapter that answers transfers nobody asked for (a bug, or a lying node).
struct LyingChain : SimChain {
  using SimChain::SimChain;
  Result<std::vector<ObservedTransfer>> transfers_to(const std::vector<Address>& addresses, uint64_t from, uint64_t to) override {
    auto real = SimChain::transfers_to(addresses, from, to);
    if (!real) return real;
    std::vector<ObservedTransfer> out = *real;
    out.push_back(ObservedTransfer{std::string(64, 'e'), 0, from, block(from)->hash, kMintAddress, std::string(40, '9'), "BTC", 5});
    return out;
  }
};

TEST_F(ChainWatcherTest, ATransferToAnAddressNotAskedForIsRefusedAndNothingIsSent) {
  LyingChain liar(SimChainOptions{"watch", 1, 10});
  ASSERT_TRUE(liar.faucet(book[0].address, "BTC", 5));
  ASSERT_TRUE(liar.mine(1));
  auto w = ChainWatcher::create(liar, book, ChainWatcherOptions{liar.chain_id(), 1, 1000}, {});
  ASSERT_TRUE(w);
  ChainWatcher watcher = std::move(w).value();
  auto p = watcher.poll(submit);
  EXPECT_EQ(p.code(), Error::Io);
  EXPECT_NE(p.status().message().find("not asked for"), std::string::npos);
  EXPECT_EQ(exchange.calls, 0);
  EXPECT_EQ(watcher.cursor().next_height, 0u);
}

TEST_F(ChainWatcherTest, ACursorOfAnotherChainIsRefused) {
  WatchCursor other;
  other.chain_id = "elsewhere/1";
  auto w = ChainWatcher::create(chain, book, ChainWatcherOptions{chain.chain_id(), 3, 1000}, other);
  EXPECT_EQ(w.code(), Error::InvalidArgument);
  EXPECT_EQ(ChainWatcher::create(chain, book, ChainWatcherOptions{chain.chain_id(), 0, 1000}, {}).code(), Error::InvalidArgument);
}

TEST(DepositIds, AreTheSameForEveryWatcherAndDifferByChainTransactionAndOutput) {
  const TxId tx(64, 'a');
  EXPECT_EQ(deposit_id("sim/1", tx, 0), deposit_id("sim/1", tx, 0));
  EXPECT_NE(deposit_id("sim/1", tx, 0), deposit_id("sim/1", tx, 1));
  EXPECT_NE(deposit_id("sim/1", tx, 0), deposit_id("sim/2", tx, 0));
  EXPECT_NE(deposit_id("sim/1", tx, 0), deposit_id("sim/1", TxId(64, 'b'), 0));
}

TEST(AddressBook, RoundTripsAndRefusesWhatIsAmbiguous) {
  const crypto::Seed root = crypto::seed_from_label("test/deposit-root");
  const std::vector<DepositAddress> book{derive_deposit_address(root, 1, "BTC"), derive_deposit_address(root, 2, "BTC")};
  EXPECT_EQ(book[0], derive_deposit_address(root, 1, "BTC"));
  EXPECT_NE(book[0].address, derive_deposit_address(crypto::seed_from_label("other"), 1, "BTC").address);
  auto parsed = parse_address_book(format_address_book(book));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, book);
  const std::string header = "glassbook-deposit-addresses v1\n";
  const std::string line = book[0].address + " 1 BTC\n";
  EXPECT_NE(parse_address_book(header + line + line).status().message().find("line 3: address " + book[0].address + " is given twice"),
            std::string::npos);
  EXPECT_NE(parse_address_book(header + line + book[1].address + " 1 BTC\n").status().message().find("account 1 has a second BTC address"),
            std::string::npos);
  EXPECT_NE(parse_address_book(header + "abc 1 BTC\n").status().message().find("abc is not an address"), std::string::npos);
  EXPECT_NE(parse_address_book(header + book[0].address + " -1 BTC\n").status().message().find("is not an account number"), std::string::npos);
  EXPECT_NE(parse_address_book(header + book[0].address + " 1 btc\n").status().message().find("is not an asset symbol"), std::string::npos);
  EXPECT_NE(parse_address_book("addresses\n").status().message().find("expected the header"), std::string::npos);
  EXPECT_FALSE(parse_address_book(""));
}

TEST(WatchCursorFile, RefusesMalformedLines) {
  WatchCursor c;
  c.chain_id = "sim/1";
  c.next_height = 9;
  c.recent.push_back(BlockHeader{8, std::string(64, 'c'), ""});
  c.credited.push_back(CreditedDeposit{8, 123, 4, "BTC", 50, std::string(64, 'd'), 0});
  auto back = parse_cursor(format_cursor(c));
  ASSERT_TRUE(back) << back.status().to_string();
  EXPECT_EQ(*back, c);
  std::string text = format_cursor(c);
  EXPECT_EQ(parse_cursor(text.substr(0, text.find("next"))).code(), Error::Corruption);
  EXPECT_EQ(parse_cursor(text + "block 9 " + std::string(64, 'e') + "\n").code(), Error::Corruption);  // at next
  EXPECT_EQ(parse_cursor(text + "credited 8 1 4 BTC -5 " + std::string(64, 'd') + " 0\n").code(), Error::Corruption);
  EXPECT_EQ(parse_cursor(text + "bogus\n").code(), Error::Corruption);
}

}  // namespace
}  // namespace glassbook::custody
