// Test helpers for the journal: a temporary directory, file byte access, and a signed trading
// session whose every command is applied live and kept as the journal record it would become.
#pragma once
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "engine/command.h"
#include "engine/engine.h"
#include "journal/reader.h"
#include "journal/record.h"
#include "journal/recovery.h"
#include "journal/segment_files.h"
#include "journal/writer.h"

namespace glassbook::journal::testing {

// A unique directory under /tmp, removed with everything in it at the end of the scope.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/glassbook-journal-XXXXXX";
    const char* p = ::mkdtemp(tmpl);
    if (p == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = p;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // The path of the segment whose first record is `first_seq` (default: the first segment).
  std::string segment(SeqNo first_seq = 0) const { return segment_path(path_, first_seq); }

 private:
  std::string path_;
};

inline std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void write_all(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline Record record_of(const engine::SignedCommand& sc) {
  Record r;
  r.seq = sc.command.seq;
  r.timestamp = sc.command.timestamp;
  r.kind = static_cast<uint8_t>(sc.command.body.index());
  r.signed_bytes = engine::signing_bytes(sc.command.body);
  r.signer = sc.command.signer;
  r.signature = sc.signature;
  return r;
}

// A stand-in for the genesis record (seq 0, the exchange configuration in the real journal): the
// journal layer treats it as opaque signed bytes.
inline Record test_genesis() {
  Record r;
  r.seq = 0;
  r.timestamp = 1'700'000'000'000'000;
  r.kind = 0xFF;
  r.signed_bytes = "glassbook/genesis/test-configuration";
  return r;
}

// `records` (seq 1 onward, as a Session makes them) preceded by test_genesis(), unless they already
// start at seq 0.
inline std::vector<Record> with_genesis(const std::vector<Record>& records) {
  if (!records.empty() && records.front().seq == 0) return records;
  std::vector<Record> out;
  out.reserve(records.size() + 1);
  out.push_back(test_genesis());
  out.insert(out.end(), records.begin(), records.end());
  return out;
}

// The segment file names of `dir`, in order.
inline std::vector<SegmentFile> segments_of(const std::string& dir) {
  auto segs = list_segments(dir);
  EXPECT_TRUE(segs.is_ok()) << segs.status().to_string();
  return segs.is_ok() ? *segs : std::vector<SegmentFile>{};
}

// A live exchange on the demo configuration whose commands are signed, applied, and recorded.
class Session {
 public:
  static constexpr int64_t kTick = 100'000, kLot = 1'000;  // BTC_USDC

  Session()
      : watcher_(crypto::KeyPair::from_seed(crypto::seed_from_label("journal-test/watcher"))),
        engine_(engine::demo_config(watcher_.public_key())) {}

  engine::Engine& engine() { return engine_; }
  const crypto::PublicKey& watcher_key() const { return watcher_.public_key(); }
  const std::vector<Record>& records() const { return records_; }

  const crypto::KeyPair& key(int trader) {
    auto it = keys_.find(trader);
    if (it == keys_.end())
      it = keys_.emplace(trader, crypto::KeyPair::from_seed(crypto::seed_from_label("journal-test/" + std::to_string(trader)))).first;
    return it->second;
  }

  // Signs, applies and records a command; returns its events.
  std::vector<engine::Event> run(const crypto::KeyPair& signer, engine::CommandBody body) {
    ++seq_;
    engine::SignedCommand sc = engine::sign_command(signer, seq_, 1'700'000'000'000'000 + static_cast<Timestamp>(seq_ * 7), std::move(body));
    auto events = engine_.apply(sc.command);
    for (const auto& e : events) {
      if (e.kind == engine::EventKind::OrderAccepted) open_orders_.push_back({e.account, e.order_id});
    }
    records_.push_back(record_of(sc));
    return std::vector<engine::Event>(events.begin(), events.end());
  }

  // Registers `traders` accounts, funds them through the chain watcher, then trades randomly
  // (limit, market and post-only orders, cancels, amends, and some commands the engine refuses).
  void trade(int traders, int commands, uint64_t seed) {
    std::mt19937_64 rng(seed);
    for (int t = 0; t < traders; ++t) {
      run(key(t), engine::RegisterAccount{key(t).public_key()});
      const AccountId a = *engine_.account_of(key(t).public_key());
      accounts_.push_back(a);
      run(watcher_, engine::Deposit{a, 0, 10 * 100'000'000, ++deposit_id_});
      run(watcher_, engine::Deposit{a, 2, 5'000'000'000'000, ++deposit_id_});
    }
    for (int i = 0; i < commands; ++i) {
      const int t = static_cast<int>(rng() % static_cast<uint64_t>(traders));
      const AccountId a = accounts_[static_cast<size_t>(t)];
      const uint64_t what = rng() % 10;
      if (what < 6) {
        engine::PlaceOrder p;
        p.account = a;
        p.market = 0;
        p.side = rng() % 2 ? book::Side::Buy : book::Side::Sell;
        p.type = rng() % 8 == 0 ? engine::OrderType::Market : engine::OrderType::Limit;
        p.tif = p.type == engine::OrderType::Market ? book::TimeInForce::IOC : static_cast<book::TimeInForce>(rng() % 4);
        p.stp = static_cast<book::Stp>(rng() % 3);
        p.price = p.type == engine::OrderType::Market ? 0 : (1'000'000 + static_cast<int64_t>(rng() % 41) - 20) * kTick;
        p.quantity = static_cast<int64_t>(1 + rng() % 50) * kLot;
        run(key(t), p);
      } else if (what < 8 && !open_orders_.empty()) {
        const auto [owner, id] = open_orders_[rng() % open_orders_.size()];
        const int ot = trader_of(owner);
        run(key(ot), engine::CancelOrder{owner, 0, id, 0});
      } else if (what < 9 && !open_orders_.empty()) {
        const auto [owner, id] = open_orders_[rng() % open_orders_.size()];
        const int ot = trader_of(owner);
        run(key(ot), engine::AmendOrder{owner, 0, id, (1'000'000 + static_cast<int64_t>(rng() % 41) - 20) * kTick,
                                        static_cast<int64_t>(1 + rng() % 50) * kLot});
      } else {
        // Refused by the engine (no such market), journaled all the same. (A command signed by
        // another trader's key is never sequenced: replay reports one as tampering.)
        run(key(t), engine::CancelAll{a, 77});
      }
    }
  }

 private:
  int trader_of(AccountId a) const {
    for (size_t i = 0; i < accounts_.size(); ++i)
      if (accounts_[i] == a) return static_cast<int>(i);
    ADD_FAILURE() << "unknown account " << a;
    return 0;
  }

  crypto::KeyPair watcher_;
  engine::Engine engine_;
  std::map<int, crypto::KeyPair> keys_;
  std::vector<AccountId> accounts_;
  std::vector<std::pair<AccountId, OrderId>> open_orders_;
  std::vector<Record> records_;
  SeqNo seq_ = 0;
  uint64_t deposit_id_ = 0;
};

// Writes with_genesis(records) into a new journal through a JournalWriter, syncing every `group`
// records and at the end.
inline void write_journal(const std::string& dir, const std::vector<Record>& records, size_t group = 16,
                          const WriterOptions& options = {}) {
  const std::vector<Record> all = with_genesis(records);
  auto w = JournalWriter::open(dir, ChainTip{}, options);
  ASSERT_TRUE(w.is_ok()) << w.status().to_string();
  auto writer = std::move(w).value();
  for (size_t i = 0; i < all.size(); ++i) {
    ASSERT_TRUE(writer->append(all[i]).is_ok());
    if ((i + 1) % group == 0) {
      ASSERT_TRUE(writer->sync().is_ok());
    }
  }
  auto durable = writer->sync();
  ASSERT_TRUE(durable.is_ok());
  ASSERT_EQ(*durable, all.back().seq);
}

// Encodes records with a correct chain from genesis (as the writer does) and returns each one's
// bytes. Pass with_genesis(...) for a journal that starts at seq 0.
inline std::vector<std::string> encode_chain(std::vector<Record> records) {
  std::vector<std::string> out;
  crypto::Digest prev = kGenesisHash;
  for (auto& r : records) {
    r.prev_hash = prev;
    out.push_back(encode(r));
    prev = record_hash(out.back());
  }
  return out;
}

inline std::string concat(const std::vector<std::string>& parts) {
  std::string s;
  for (const auto& p : parts) s += p;
  return s;
}

}  // namespace glassbook::journal::testing
