// Sequencer: completions once, in seq order, only after durability; overload lanes; replay equivalence; concurrency; journal failure.
#include "journal/sequencer.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "journal/recovery.h"
#include "journal/replay.h"
#include "journal_test_util.h"

namespace glassbook::journal::testing {
namespace {

constexpr Timestamp kT0 = 1'700'000'000'000'000;
constexpr int64_t kTick = Session::kTick, kLot = Session::kLot;  // BTC_USDC
constexpr int64_t kMid = 1'000'000 * kTick;                        // 100,000 USDC

// A deterministic clock: 10 µs later on every call (called on the engine thread only).
Clock step_clock() {
  return [t = kT0]() mutable { return t += 10; };
}

SequencerOptions small_options() {
  SequencerOptions o;
  o.normal_capacity = 256;
  o.cancel_capacity = 64;
  o.max_batch = 8;
  o.max_in_flight = 32;
  o.max_sync_records = 16;
  o.clock = step_clock();
  return o;
}

struct Done {
  SeqNo seq = 0;
  Timestamp timestamp = 0;
  std::vector<engine::Event> events;
};

// Blocks the caller until set() is called: a one-shot latch.
class Latch {
 public:
  void set() {
    // Notified under the lock: the waiter may destroy the latch as soon as it sees set_.
    std::lock_guard lk(mu_);
    set_ = true;
    cv_.notify_all();
  }
  void wait() {
    std::unique_lock lk(mu_);
    cv_.wait(lk, [&] { return set_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool set_ = false;
};

engine::PlaceOrder limit(AccountId a, book::Side side, int64_t price, int64_t qty, uint32_t client_id = 0) {
  engine::PlaceOrder p;
  p.account = a;
  p.market = 0;
  p.side = side;
  p.price = price;
  p.quantity = qty;
  p.client_id = client_id;
  return p;
}

// Opens a writer on a new journal in `dir` holding only a (test) genesis record, durable.
std::unique_ptr<JournalWriter> new_journal(const std::string& dir) {
  auto w = JournalWriter::open(dir);
  EXPECT_TRUE(w.is_ok()) << w.status().to_string();
  if (!w.is_ok()) return nullptr;
  auto writer = std::move(w).value();
  EXPECT_TRUE(writer->append(test_genesis()).is_ok());
  EXPECT_TRUE(writer->sync().is_ok());
  return writer;
}

// The commands of the journal in `dir` (seq 1 onward), after recovery.
std::vector<Record> recovered(const std::string& dir) {
  auto rec = open_and_recover(dir);
  EXPECT_TRUE(rec.is_ok()) << rec.status().to_string();
  return rec.is_ok() ? std::move(rec).value().records : std::vector<Record>{};
}

// A sequencer over a fresh journal in a temporary directory, on the demo configuration, with
// named, signed traders.
class Rig {
 public:
  explicit Rig(SequencerOptions options = small_options(), SequencerHooks hooks = {})
      : watcher_(crypto::KeyPair::from_seed(crypto::seed_from_label("sequencer-test/watcher"))) {
    auto w = new_journal(dir_.path());
    first_seq_ = w->durable_seq() + 1;  // after genesis
    auto s = Sequencer::create(std::make_unique<engine::Engine>(config()), std::move(w), std::move(options), std::move(hooks));
    EXPECT_TRUE(s.is_ok()) << s.status().to_string();
    seq_ = std::move(s).value();
    Status st = seq_->start(first_seq_, kT0);
    EXPECT_TRUE(st.is_ok()) << st.to_string();
  }

  engine::ExchangeConfig config() const { return engine::demo_config(watcher_.public_key()); }
  Sequencer& sequencer() { return *seq_; }
  const std::string& dir() const { return dir_.path(); }
  SeqNo first_seq() const { return first_seq_; }
  const crypto::KeyPair& watcher() const { return watcher_; }

  const crypto::KeyPair& key(const std::string& name) {
    auto it = keys_.find(name);
    if (it == keys_.end())
      it = keys_.emplace(name, crypto::KeyPair::from_seed(crypto::seed_from_label("sequencer-test/" + name))).first;
    return it->second;
  }

  Result<Ticket> submit(const crypto::KeyPair& signer, engine::CommandBody body, Completion done = {}) {
    const engine::SignedCommand sc = engine::sign_command(signer, 0, 0, std::move(body));
    EXPECT_TRUE(engine::verify_command(sc));  // the gateway's check
    return seq_->submit(submission_of(sc), std::move(done));
  }

  // Submits and waits for the command to be durable and released.
  Done run(const crypto::KeyPair& signer, engine::CommandBody body) {
    Done out;
    Latch latch;
    auto t = submit(signer, std::move(body), [&](SeqNo s, Timestamp ts, std::span<const engine::Event> ev) {
      out = Done{s, ts, {ev.begin(), ev.end()}};
      latch.set();
    });
    EXPECT_TRUE(t.is_ok()) << t.status().to_string();
    if (t.is_ok()) latch.wait();
    return out;
  }

  // Registers `name` and funds it with 10 BTC and 5,000,000 USDC.
  AccountId trader(const std::string& name) {
    Done reg = run(key(name), engine::RegisterAccount{key(name).public_key()});
    EXPECT_EQ(reg.events.size(), 1u);
    EXPECT_EQ(reg.events[0].kind, engine::EventKind::AccountRegistered);
    const AccountId a = reg.events[0].account;
    run(watcher_, engine::Deposit{a, 0, 10 * 100'000'000, ++deposit_id_});
    run(watcher_, engine::Deposit{a, 2, 5'000'000'000'000, ++deposit_id_});
    return a;
  }

 private:
  TempDir dir_;
  crypto::KeyPair watcher_;
  std::map<std::string, crypto::KeyPair> keys_;
  std::unique_ptr<Sequencer> seq_;
  SeqNo first_seq_ = 0;
  uint64_t deposit_id_ = 0;
};

// Replays the journal in `dir` into a fresh engine and returns its state root.
crypto::Digest replayed_root(const std::string& dir, const engine::ExchangeConfig& config) {
  engine::Engine fresh(config);
  auto rep = replay(recovered(dir), fresh, true);
  EXPECT_TRUE(rep.is_ok()) << rep.status().to_string();
  EXPECT_TRUE(fresh.check_invariants().is_ok());
  return fresh.state_root();
}

TEST(BoundedQueue, IsAFifoThatRefusesWhenFull) {
  BoundedQueue<std::string> q(3);
  std::string a = "a", b = "b", c = "c", d = "d";
  EXPECT_TRUE(q.try_push(a));
  EXPECT_TRUE(q.try_push(b));
  EXPECT_TRUE(q.try_push(c));
  EXPECT_TRUE(q.full());
  EXPECT_FALSE(q.try_push(d));
  EXPECT_EQ(d, "d");  // a refused item is left untouched
  EXPECT_EQ(q.pop(), "a");
  EXPECT_TRUE(q.try_push(d));  // wraps around
  EXPECT_EQ(q.pop(), "b");
  EXPECT_EQ(q.pop(), "c");
  EXPECT_EQ(q.pop(), "d");
  EXPECT_TRUE(q.empty());
}

TEST(Sequencer, SubmissionsAreCheckedAtTheBoundary) {
  const auto key = crypto::KeyPair::from_seed(crypto::seed_from_label("sequencer-test/checks"));
  const auto sc = engine::sign_command(key, 0, 0, engine::CancelAll{16, engine::kAllMarkets});
  Submission good = submission_of(sc);
  EXPECT_EQ(good.lane, Lane::Cancel);
  EXPECT_EQ(good.kind, 4);
  EXPECT_TRUE(check_submission(good).is_ok());

  Submission wrong_kind = good;
  wrong_kind.kind = 3;
  EXPECT_EQ(check_submission(wrong_kind).code(), Error::InvalidArgument);
  Submission wrong_bytes = good;
  wrong_bytes.signed_bytes = engine::signing_bytes(engine::CancelAll{17, engine::kAllMarkets});
  EXPECT_EQ(check_submission(wrong_bytes).code(), Error::InvalidArgument);
  Submission order = submission_of(engine::sign_command(key, 0, 0, limit(16, book::Side::Buy, kMid, kLot)));
  EXPECT_EQ(order.lane, Lane::Normal);
  order.lane = Lane::Cancel;  // a new order may not jump the queue
  EXPECT_EQ(check_submission(order).code(), Error::InvalidArgument);
  Submission cancel_in_normal = good;
  cancel_in_normal.lane = Lane::Normal;
  EXPECT_TRUE(check_submission(cancel_in_normal).is_ok());
}

TEST(Sequencer, RefusesBadOptionsAndABadStart) {
  TempDir dir;
  const auto watcher = crypto::KeyPair::from_seed(crypto::seed_from_label("sequencer-test/watcher"));
  auto make = [&](SequencerOptions o) {
    static int n = 0;
    const std::string sub = dir.path() + "/" + std::to_string(++n);
    std::filesystem::create_directory(sub);
    return Sequencer::create(std::make_unique<engine::Engine>(engine::demo_config(watcher.public_key())), new_journal(sub), std::move(o));
  };
  SequencerOptions zero_queue;
  zero_queue.normal_capacity = 0;
  EXPECT_EQ(make(zero_queue).code(), Error::InvalidArgument);
  SequencerOptions tiny_sync;
  tiny_sync.max_sync_bytes = 100;  // a record of the maximum size would not fit
  EXPECT_EQ(make(tiny_sync).code(), Error::InvalidArgument);
  SequencerOptions long_wait;
  long_wait.max_sync_wait = std::chrono::seconds(1);
  EXPECT_EQ(make(long_wait).code(), Error::InvalidArgument);
  EXPECT_EQ(Sequencer::create(nullptr, nullptr).code(), Error::InvalidArgument);

  auto s = make(small_options());
  ASSERT_TRUE(s.is_ok()) << s.status().to_string();
  Sequencer& seq = **s;
  const SeqNo first = 1;  // after genesis
  const auto sc = engine::sign_command(watcher, 0, 0, engine::RegisterAccount{watcher.public_key()});
  EXPECT_EQ(seq.submit(submission_of(sc), {}).code(), Error::InvalidArgument);  // not started
  EXPECT_EQ(seq.start(first + 5, kT0).code(), Error::InvalidArgument);          // a gap after the journal's tip
  EXPECT_EQ(seq.start(0, kT0).code(), Error::InvalidArgument);                  // genesis's seq: not a command
  ASSERT_TRUE(seq.start(first, kT0).is_ok());
  EXPECT_EQ(seq.start(first, kT0).code(), Error::InvalidArgument);  // once only
  seq.stop();
  EXPECT_EQ(seq.submit(submission_of(sc), {}).code(), Error::InvalidArgument);  // stopped
  seq.stop();                                                                    // idempotent
  EXPECT_EQ(seq.engine().last_seq(), 0u);
}

// Every command completes exactly once, in seq order, with exactly the events the engine produced
// for the command journaled at that seq.
TEST(Sequencer, CompletesEveryCommandOnceInSeqOrderWithItsEvents) {
  std::vector<SeqNo> sink_order;
  std::vector<std::string> sink_bytes;  // signing bytes of each command the sink saw
  SequencerHooks hooks;
  hooks.on_durable = [&](const engine::Command& c, std::span<const engine::Event>) {
    sink_order.push_back(c.seq);
    sink_bytes.push_back(engine::signing_bytes(c.body));
  };
  constexpr int kCommands = 400;
  std::vector<std::string> signed_bytes(kCommands);
  std::vector<int> calls(kCommands, 0);
  std::vector<Done> done(kCommands);
  std::vector<int> completion_order;  // command index, in the order completions ran
  SequencerOptions o = small_options();
  o.normal_capacity = kCommands;  // never refused here
  o.cancel_capacity = kCommands;
  Rig rig(o, std::move(hooks));  // declared after what its completions touch: stopped first
  const AccountId alice = rig.trader("alice");
  const AccountId bob = rig.trader("bob");

  std::mt19937_64 rng(7);
  for (int i = 0; i < kCommands; ++i) {
    const bool a = rng() % 2 == 0;
    const AccountId acct = a ? alice : bob;
    const auto& key = rig.key(a ? "alice" : "bob");
    engine::CommandBody body;
    switch (rng() % 6) {
      case 0: body = engine::CancelOrder{acct, 0, 0, static_cast<uint32_t>(1 + rng() % 64)}; break;
      case 1: body = engine::CancelAll{acct, 0}; break;
      case 2: body = limit(acct, book::Side::Buy, kMid, 1500); break;  // not a lot multiple: refused
      default:
        body = limit(acct, rng() % 2 ? book::Side::Buy : book::Side::Sell, kMid + static_cast<int64_t>(rng() % 11 - 5) * kTick,
                     static_cast<int64_t>(1 + rng() % 20) * kLot, static_cast<uint32_t>(1 + rng() % 64));
    }
    signed_bytes[static_cast<size_t>(i)] = engine::signing_bytes(body);
    const Lane lane = lane_of(body);
    auto t = rig.submit(key, std::move(body), [&, i](SeqNo s, Timestamp ts, std::span<const engine::Event> ev) {
      ++calls[static_cast<size_t>(i)];
      // The sink has already seen this very command, body included.
      EXPECT_EQ(sink_order.empty() ? 0 : sink_order.back(), s);
      EXPECT_EQ(sink_bytes.empty() ? "" : sink_bytes.back(), signed_bytes[static_cast<size_t>(i)]);
      done[static_cast<size_t>(i)] = Done{s, ts, {ev.begin(), ev.end()}};
      completion_order.push_back(i);
    });
    ASSERT_TRUE(t.is_ok()) << t.status().to_string();
    EXPECT_EQ(t->lane, lane);
    EXPECT_EQ(t->number, static_cast<uint64_t>(7 + i));  // after the six setup commands
  }
  Sequencer& seq = rig.sequencer();
  seq.stop();

  const SeqNo setup = 6;  // two traders: register and two deposits each
  const SeqNo last = rig.first_seq() + setup + kCommands - 1;
  EXPECT_EQ(seq.durable_seq(), last);
  EXPECT_EQ(seq.engine().last_seq(), last);
  for (int i = 0; i < kCommands; ++i) EXPECT_EQ(calls[static_cast<size_t>(i)], 1) << "command " << i;
  ASSERT_EQ(completion_order.size(), static_cast<size_t>(kCommands));
  for (size_t k = 1; k < completion_order.size(); ++k)
    EXPECT_EQ(done[static_cast<size_t>(completion_order[k])].seq, done[static_cast<size_t>(completion_order[k - 1])].seq + 1);
  ASSERT_EQ(sink_order.size(), setup + kCommands);
  for (size_t k = 0; k < sink_order.size(); ++k) EXPECT_EQ(sink_order[k], rig.first_seq() + k);

  // The journal holds each command at the seq its completion reported, and replaying it one
  // command at a time reproduces the completion's events.
  const std::vector<Record> records = recovered(rig.dir());
  ASSERT_EQ(records.size(), setup + kCommands);
  engine::Engine fresh(rig.config());
  std::map<SeqNo, std::vector<engine::Event>> replayed;
  Timestamp prev_ts = kT0;
  for (const Record& r : records) {
    EXPECT_GE(r.timestamp, prev_ts);
    prev_ts = r.timestamp;
    auto cmd = to_command(r);
    ASSERT_TRUE(cmd.is_ok()) << cmd.status().to_string();
    auto ev = fresh.apply(*cmd);
    replayed[r.seq] = {ev.begin(), ev.end()};
  }
  int refused = 0;
  for (int i = 0; i < kCommands; ++i) {
    const Done& d = done[static_cast<size_t>(i)];
    const Record& r = records[d.seq - rig.first_seq()];
    EXPECT_EQ(r.seq, d.seq);
    EXPECT_EQ(r.timestamp, d.timestamp);
    EXPECT_EQ(r.signed_bytes, signed_bytes[static_cast<size_t>(i)]) << "command " << i;
    EXPECT_EQ(d.events, replayed[d.seq]) << "command " << i;
    refused += d.events.size() == 1 && d.events[0].kind == engine::EventKind::Rejected;
  }
  EXPECT_GT(refused, 0);  // refused commands are completed (and journaled) too
  EXPECT_EQ(fresh.state_root(), seq.engine().state_root());
  const SequencerStats st = seq.stats();
  EXPECT_EQ(st.accepted, setup + kCommands);
  EXPECT_EQ(st.applied, setup + kCommands);
  EXPECT_EQ(st.records_synced, setup + kCommands);
  EXPECT_EQ(st.refused_overloaded, 0u);
  EXPECT_LE(st.max_applied_batch, 8u);
  EXPECT_LE(st.max_sync_batch, 16u);
  EXPECT_GE(st.sync_batches, (setup + kCommands) / 16);
}

// From inside each completion, a copy of the journal directory recovers to a tip at or after the
// completed seq, holding that very record: nothing is released before it is on disk. after_sync has
// already reported it, and its batches cover every seq once, in order.
TEST(Sequencer, CompletionNeverRunsBeforeTheRecordIsOnDisk) {
  std::atomic<SeqNo> synced{0};
  SequencerHooks hooks;
  std::vector<SeqNo> batch_seqs;  // every seq the after_sync batches reported, in order
  std::atomic<SeqNo> applied_seen{0};
  hooks.on_applied_batch = [&](const engine::Engine& e, SeqNo last) {
    EXPECT_EQ(e.last_seq(), last);
    applied_seen = last;
  };
  hooks.after_sync = [&](SeqNo s, const SyncedBatch& batch) {
    EXPECT_GE(applied_seen.load(), s);  // on_applied_batch always saw a seq before it is durable
    EXPECT_EQ(batch.end_seq(), s + 1);
    for (SeqNo q = batch.first_seq; q < batch.end_seq(); ++q) batch_seqs.push_back(q);
    synced = s;
  };
  SequencerOptions o = small_options();
  o.max_batch = 3;
  o.max_sync_records = 4;
  TempDir copies;
  int checked = 0, failures = 0;
  Rig rig(o, std::move(hooks));
  const AccountId alice = rig.trader("alice");

  constexpr int kCommands = 40;
  for (int i = 0; i < kCommands; ++i) {
    const auto side = i % 2 ? book::Side::Buy : book::Side::Sell;
    auto t = rig.submit(rig.key("alice"), limit(alice, side, kMid + (i % 2 ? -1 : 1) * kTick, kLot),
                        [&](SeqNo s, Timestamp ts, std::span<const engine::Event>) {
                          const std::string copy = copies.path() + "/" + std::to_string(s);
                          std::filesystem::copy(rig.dir(), copy, std::filesystem::copy_options::recursive);
                          auto rec = open_and_recover(copy);
                          const bool ok = rec.is_ok() && rec->tip.next_seq > s && rec->records.size() >= s - rig.first_seq() + 1 &&
                                          rec->records[s - rig.first_seq()].seq == s && rec->records[s - rig.first_seq()].timestamp == ts &&
                                          rig.sequencer().durable_seq() >= s && synced.load() >= s;
                          failures += !ok;
                          ++checked;
                          std::filesystem::remove_all(copy);
                        });
    ASSERT_TRUE(t.is_ok());
  }
  rig.sequencer().stop();
  EXPECT_EQ(checked, kCommands);
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(synced.load(), rig.sequencer().durable_seq());
  ASSERT_EQ(batch_seqs.size(), rig.sequencer().durable_seq() - rig.first_seq() + 1);
  for (size_t k = 0; k < batch_seqs.size(); ++k) EXPECT_EQ(batch_seqs[k], rig.first_seq() + k);
}

// With the journal thread held, the in-flight window and then the order queue fill: new orders are
// refused with Error::Overloaded and change nothing, while cancels are accepted and, once the
// journal moves again, applied ahead of the orders queued before them.
TEST(Sequencer, OverloadRefusesOrdersButCancelsGetThrough) {
  std::mutex mu;
  std::condition_variable cv;
  SeqNo hold_at = 0;  // 0: never hold
  bool held = false, released = false;
  SeqNo applied = 0;
  SequencerHooks hooks;
  hooks.after_sync = [&](SeqNo durable, const SyncedBatch&) {
    std::unique_lock lk(mu);
    if (hold_at == 0 || durable < hold_at || held) return;
    held = true;
    cv.notify_all();
    cv.wait(lk, [&] { return released; });
  };
  hooks.on_applied_batch = [&](const engine::Engine&, SeqNo last) {
    std::lock_guard lk(mu);
    applied = last;
    cv.notify_all();
  };
  SequencerOptions o = small_options();
  o.normal_capacity = 4;
  o.cancel_capacity = 2;
  o.max_in_flight = 3;
  o.max_batch = 2;
  std::mutex done_mu;
  std::map<std::string, Done> done;
  Rig rig(o, std::move(hooks));
  // Destroyed before the rig: never leaves the journal thread held, even when an assertion fails.
  struct Release {
    std::function<void()> run;
    ~Release() { run(); }
  } release_on_exit{[&] {
    {
      std::lock_guard lk(mu);
      released = true;
    }
    cv.notify_all();
  }};
  Sequencer& seq = rig.sequencer();
  const AccountId alice = rig.trader("alice");
  const auto& key = rig.key("alice");
  const Done resting = rig.run(key, limit(alice, book::Side::Buy, kMid - 100 * kTick, kLot));
  ASSERT_EQ(resting.events.at(0).kind, engine::EventKind::OrderAccepted);
  const OrderId target = resting.events[0].order_id;

  auto record = [&](std::string name) {
    return [&, name](SeqNo s, Timestamp ts, std::span<const engine::Event> ev) {
      std::lock_guard lk(done_mu);
      EXPECT_EQ(done.count(name), 0u) << name << " completed twice";
      done[name] = Done{s, ts, {ev.begin(), ev.end()}};
    };
  };
  auto order = [&](int i) { return limit(alice, book::Side::Buy, kMid - static_cast<int64_t>(200 + i) * kTick, kLot); };

  // Waits (with a generous bound, so a bug fails instead of hanging) until `ready` holds.
  auto wait_until = [&](auto ready) {
    std::unique_lock lk(mu);
    return cv.wait_for(lk, std::chrono::seconds(60), ready);
  };

  // Hold the journal thread in after_sync once order0 (the next seq) is durable: order0 keeps its
  // in-flight slot, unreleased.
  {
    std::lock_guard lk(mu);
    hold_at = resting.seq + 1;
  }
  ASSERT_TRUE(rig.submit(key, order(0), record("order0")).is_ok());
  ASSERT_TRUE(wait_until([&] { return held; }));
  {
    std::lock_guard lk(done_mu);
    EXPECT_EQ(done.count("order0"), 0u);  // durable, but after_sync runs before the release
  }
  // Fill the rest of the in-flight window (3, order0 included) and wait until the engine applied it.
  const SeqNo order0_seq = resting.seq + 1;
  for (int i = 1; i <= 2; ++i) ASSERT_TRUE(rig.submit(key, order(i), record("order" + std::to_string(i))).is_ok());
  ASSERT_TRUE(wait_until([&] { return applied == order0_seq + 2; }));
  // The engine thread now waits for room: the order queue (4) fills, then refuses.
  for (int i = 3; i <= 6; ++i) ASSERT_TRUE(rig.submit(key, order(i), record("order" + std::to_string(i))).is_ok());
  auto refused = rig.submit(key, order(7), record("order7"));
  ASSERT_EQ(refused.code(), Error::Overloaded);
  EXPECT_EQ(refused.status().message(), "overloaded: the order queue is full, retry later");

  // Cancels have their own lane: accepted while orders are refused, up to its own capacity.
  auto cancel = rig.submit(key, engine::CancelOrder{alice, 0, target, 0}, record("cancel"));
  ASSERT_TRUE(cancel.is_ok()) << cancel.status().to_string();
  EXPECT_EQ(cancel->lane, Lane::Cancel);
  ASSERT_TRUE(rig.submit(key, engine::CancelOrder{alice, 0, 999'999, 0}, record("cancel-unknown")).is_ok());
  auto cancel_refused = rig.submit(key, engine::CancelAll{alice, engine::kAllMarkets}, record("cancel-refused"));
  ASSERT_EQ(cancel_refused.code(), Error::Overloaded);
  EXPECT_EQ(cancel_refused.status().message(), "overloaded: the cancel queue is full, retry later");
  EXPECT_EQ(rig.submit(key, order(8), record("order8")).code(), Error::Overloaded);
  EXPECT_EQ(seq.stats().refused_overloaded, 3u);
  EXPECT_EQ(applied, order0_seq + 2);  // nothing more was applied while the journal was held

  release_on_exit.run();
  seq.stop();

  std::lock_guard lk(done_mu);
  EXPECT_EQ(done.size(), 9u);  // order0..6, cancel, cancel-unknown
  EXPECT_EQ(done.count("order7") + done.count("order8") + done.count("cancel-refused"), 0u);
  const Done& c = done.at("cancel");
  ASSERT_EQ(c.events.size(), 1u);
  EXPECT_EQ(c.events[0].kind, engine::EventKind::OrderCancelled);
  EXPECT_EQ(c.events[0].order_id, target);
  EXPECT_EQ(done.at("cancel-unknown").events.at(0).error, Error::OrderNotFound);
  // The cancels went ahead of the orders queued before them; the in-flight orders were already applied.
  EXPECT_EQ(c.seq, order0_seq + 3);
  EXPECT_EQ(done.at("cancel-unknown").seq, order0_seq + 4);
  for (int i = 0; i <= 6; ++i) {
    const SeqNo expect = i <= 2 ? order0_seq + static_cast<SeqNo>(i) : order0_seq + 2 + static_cast<SeqNo>(i);
    EXPECT_EQ(done.at("order" + std::to_string(i)).seq, expect) << "order" << i;
  }
  EXPECT_EQ(recovered(rig.dir()).size(), seq.durable_seq() - rig.first_seq() + 1);
  EXPECT_EQ(replayed_root(rig.dir(), rig.config()), seq.engine().state_root());
}

// A random session through the sequencer, then recovery and replay of its journal: the same state
// root. Then a second sequencer continues the recovered journal, and replay still agrees.
TEST(Sequencer, ReplayOfTheJournalGivesTheLiveStateRoot) {
  SequencerOptions o = small_options();
  o.normal_capacity = 2048;  // the whole session is queued at once: never refused here
  o.cancel_capacity = 2048;
  std::unique_ptr<Rig> rig = std::make_unique<Rig>(o);
  std::vector<AccountId> accounts;
  std::vector<std::string> names;
  for (int t = 0; t < 5; ++t) {
    names.push_back("t" + std::to_string(t));
    accounts.push_back(rig->trader(names.back()));
  }
  auto random_command = [&](std::mt19937_64& rng) -> std::pair<int, engine::CommandBody> {
    const int t = static_cast<int>(rng() % accounts.size());
    const AccountId a = accounts[static_cast<size_t>(t)];
    const uint32_t cid = static_cast<uint32_t>(1 + rng() % 32);
    switch (rng() % 10) {
      case 0: case 1: return {t, engine::CancelOrder{a, 0, 0, cid}};
      case 2: return {t, engine::CancelAll{a, engine::kAllMarkets}};
      case 3: return {(t + 1) % static_cast<int>(accounts.size()), engine::CancelAll{a, 0}};  // wrong key: refused
      default:
        return {t, limit(a, rng() % 2 ? book::Side::Buy : book::Side::Sell, kMid + static_cast<int64_t>(rng() % 21 - 10) * kTick,
                         static_cast<int64_t>(1 + rng() % 30) * kLot, cid)};
    }
  };
  std::mt19937_64 rng(99);
  for (int i = 0; i < 1500; ++i) {
    auto [t, body] = random_command(rng);
    auto r = rig->submit(rig->key(names[static_cast<size_t>(t)]), std::move(body));
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  }
  Sequencer& first = rig->sequencer();
  first.stop();
  const crypto::Digest live_root = first.engine().state_root();
  EXPECT_TRUE(first.engine().check_invariants().is_ok());
  EXPECT_EQ(replayed_root(rig->dir(), rig->config()), live_root);

  // Continue after recovery: replay into an engine, open the writer at the tip, start after it.
  auto rec = open_and_recover(rig->dir());
  ASSERT_TRUE(rec.is_ok()) << rec.status().to_string();
  auto engine = std::make_unique<engine::Engine>(rig->config());
  ASSERT_TRUE(replay(rec->records, *engine, true).is_ok());
  auto w = JournalWriter::open(rig->dir(), rec->tip);
  ASSERT_TRUE(w.is_ok()) << w.status().to_string();
  std::vector<Timestamp> stamps;
  o.clock = step_clock();
  auto s = Sequencer::create(std::move(engine), std::move(w).value(), o);
  ASSERT_TRUE(s.is_ok());
  Sequencer& second = **s;
  const Timestamp tip_ts = rec->records.back().timestamp;
  ASSERT_TRUE(second.start(rec->tip.next_seq, tip_ts + 1'000'000).is_ok());  // the clock restarts behind the tip
  for (int i = 0; i < 300; ++i) {
    auto [t, body] = random_command(rng);
    const auto sc = engine::sign_command(rig->key(names[static_cast<size_t>(t)]), 0, 0, std::move(body));
    ASSERT_TRUE(second.submit(submission_of(sc), [&](SeqNo, Timestamp ts, std::span<const engine::Event>) { stamps.push_back(ts); }).is_ok());
  }
  second.stop();
  ASSERT_EQ(stamps.size(), 300u);
  for (Timestamp ts : stamps) EXPECT_EQ(ts, tip_ts + 1'000'000);  // never before the tip's time
  EXPECT_EQ(second.durable_seq(), rec->tip.next_seq - 1 + 300);
  EXPECT_EQ(replayed_root(rig->dir(), rig->config()), second.engine().state_root());
}

// Four threads submit 2,000 commands each, retrying when refused: every one completes, exactly once,
// in one gap-free seq order, and replay agrees with the live engine.
TEST(Sequencer, ConcurrentSubmittersAllComplete) {
  std::atomic<SeqNo> last_released{0};
  std::atomic<uint64_t> out_of_order{0};
  SequencerOptions o = small_options();
  o.normal_capacity = 64;
  o.cancel_capacity = 16;
  o.max_in_flight = 128;
  o.max_batch = 32;
  o.max_sync_records = 64;
  o.max_sync_wait = std::chrono::microseconds(200);
  SequencerHooks hooks;
  hooks.on_durable = [&](const engine::Command& c, std::span<const engine::Event>) {
    const SeqNo s = c.seq;
    if (last_released.load() != 0 && s != last_released.load() + 1) ++out_of_order;
    last_released = s;
  };
  constexpr int kThreads = 4, kPerThread = 2000;
  std::vector<std::vector<uint8_t>> completed(kThreads, std::vector<uint8_t>(kPerThread, 0));
  Rig rig(o, std::move(hooks));
  std::vector<AccountId> accounts;
  for (int t = 0; t < kThreads; ++t) accounts.push_back(rig.trader("c" + std::to_string(t)));
  const SeqNo setup_end = rig.sequencer().durable_seq();

  std::atomic<uint64_t> retries{0}, errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const auto& key = rig.key("c" + std::to_string(t));  // created by trader() above: read only here
      const AccountId a = accounts[static_cast<size_t>(t)];
      std::mt19937_64 rng(static_cast<uint64_t>(1000 + t));
      for (int i = 0; i < kPerThread; ++i) {
        const uint32_t cid = static_cast<uint32_t>(1 + rng() % 16);
        engine::CommandBody body;
        if (rng() % 4 == 0) {
          body = engine::CancelOrder{a, 0, 0, cid};
        } else {
          body = limit(a, rng() % 2 ? book::Side::Buy : book::Side::Sell, kMid + static_cast<int64_t>(rng() % 9 - 4) * kTick,
                       static_cast<int64_t>(1 + rng() % 10) * kLot, cid);
        }
        const Submission sub = submission_of(engine::sign_command(key, 0, 0, std::move(body)));
        for (;;) {
          auto r = rig.sequencer().submit(sub, [&, t, i](SeqNo, Timestamp, std::span<const engine::Event>) {
            ++completed[static_cast<size_t>(t)][static_cast<size_t>(i)];
          });
          if (r.is_ok()) break;
          if (r.code() != Error::Overloaded) {
            ++errors;
            break;
          }
          ++retries;
          std::this_thread::yield();
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  Sequencer& seq = rig.sequencer();
  seq.stop();

  EXPECT_EQ(errors.load(), 0u);
  EXPECT_EQ(out_of_order.load(), 0u);
  for (int t = 0; t < kThreads; ++t)
    for (int i = 0; i < kPerThread; ++i) ASSERT_EQ(completed[static_cast<size_t>(t)][static_cast<size_t>(i)], 1) << t << "/" << i;
  EXPECT_EQ(seq.durable_seq(), setup_end + kThreads * kPerThread);
  EXPECT_EQ(last_released.load(), seq.durable_seq());
  const SequencerStats st = seq.stats();
  EXPECT_EQ(st.refused_overloaded, retries.load());
  EXPECT_EQ(st.records_synced, st.accepted);
  EXPECT_LE(st.max_sync_batch, 64u);
  EXPECT_LE(st.max_applied_batch, 32u);
  EXPECT_EQ(replayed_root(rig.dir(), rig.config()), seq.engine().state_root());
}

// A journal whose writes fail: the sequencer stops, releases nothing, and reports Error::Io.
TEST(Sequencer, JournalFailureStopsAndReleasesNothing) {
  TempDir dir;
  const auto watcher = crypto::KeyPair::from_seed(crypto::seed_from_label("sequencer-test/watcher"));
  auto writer = new_journal(dir.path());
  ASSERT_NE(writer, nullptr);
  const SeqNo first = writer->durable_seq() + 1;
  // No file of this process may grow past the genesis segment any more: every journal write fails
  // (EFBIG, with SIGXFSZ ignored). This test runs in its own process under ctest.
  const uint64_t limit = std::filesystem::file_size(dir.segment());
  rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  const auto old_handler = ::signal(SIGXFSZ, SIG_IGN);
  rlimit lowered = saved;
  lowered.rlim_cur = limit;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &lowered), 0);

  std::atomic<int> released{0};
  SequencerHooks hooks;
  hooks.on_durable = [&](const engine::Command&, std::span<const engine::Event>) { ++released; };
  auto s = Sequencer::create(std::make_unique<engine::Engine>(engine::demo_config(watcher.public_key())), std::move(writer),
                             small_options(), std::move(hooks));
  ASSERT_TRUE(s.is_ok());
  Sequencer& seq = **s;
  ASSERT_TRUE(seq.start(first, kT0).is_ok());
  int completions = 0;
  for (int i = 0; i < 5; ++i) {
    const auto key = crypto::KeyPair::from_seed(crypto::seed_from_label("sequencer-test/f" + std::to_string(i)));
    auto r = seq.submit(submission_of(engine::sign_command(key, 0, 0, engine::RegisterAccount{key.public_key()})),
                        [&](SeqNo, Timestamp, std::span<const engine::Event>) { ++completions; });
    // The first failure may already have happened: then the sequencer refuses with Error::Io.
    if (!r.is_ok()) {
      EXPECT_EQ(r.code(), Error::Io);
    }
  }
  seq.stop();
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &saved), 0);
  ::signal(SIGXFSZ, old_handler);

  EXPECT_EQ(completions, 0);
  EXPECT_EQ(released.load(), 0);
  EXPECT_EQ(seq.durable_seq(), first - 1);
  EXPECT_EQ(seq.status().code(), Error::Io);
  EXPECT_EQ(seq.status().message().rfind("journal failed: ", 0), 0u) << seq.status().message();
  const auto key = crypto::KeyPair::from_seed(crypto::seed_from_label("sequencer-test/late"));
  auto late = seq.submit(submission_of(engine::sign_command(key, 0, 0, engine::RegisterAccount{key.public_key()})), {});
  EXPECT_EQ(late.code(), Error::Io);
  // Nothing after genesis reached the journal.
  EXPECT_TRUE(recovered(dir.path()).empty());
}

}  // namespace
}  // namespace glassbook::journal::testing

namespace glassbook::journal::testing {
namespace {

// Group commit at the intake with a long bound (100 ms, the most allowed), so that the engine
// thread's wait ends by the batch filling, a cancel or a stop, never by the clock, while the test
// submits within microseconds.
SequencerOptions grouping_options() {
  SequencerOptions o = small_options();
  o.max_batch = 8;
  o.max_sync_records = 64;
  o.group_commit = GroupCommitPolicy{std::chrono::milliseconds(100), 8, 1};
  return o;
}

TEST(SequencerGroupCommit, RefusesBadPolicies) {
  TempDir dir;
  const auto watcher = crypto::KeyPair::from_seed(crypto::seed_from_label("sequencer-test/watcher"));
  auto make = [&](GroupCommitPolicy g) {
    static int n = 0;
    const std::string sub = dir.path() + "/" + std::to_string(++n);
    std::filesystem::create_directory(sub);
    SequencerOptions o = small_options();
    o.group_commit = g;
    return Sequencer::create(std::make_unique<engine::Engine>(engine::demo_config(watcher.public_key())), new_journal(sub), std::move(o));
  };
  EXPECT_EQ(make({std::chrono::milliseconds(101), 64, 2}).code(), Error::InvalidArgument);
  EXPECT_EQ(make({std::chrono::microseconds(-1), 64, 2}).code(), Error::InvalidArgument);
  EXPECT_EQ(make({std::chrono::microseconds(500), 0, 1}).code(), Error::InvalidArgument);
  EXPECT_EQ(make({std::chrono::microseconds(500), 8, 9}).code(), Error::InvalidArgument);
  EXPECT_EQ(make({std::chrono::microseconds(500), 8, 0}).code(), Error::InvalidArgument);
  EXPECT_TRUE(make({std::chrono::microseconds(500), 8, 8}).is_ok());
}

// Eight orders submitted at once under a measured load are one engine batch and one fdatasync.
TEST(SequencerGroupCommit, ABatchFillsBeforeItIsAppliedAndSynced) {
  Rig rig(grouping_options());
  const AccountId a = rig.trader("g");  // measures a rate: setup commands arrive one after another
  const SequencerStats before = rig.sequencer().stats();
  std::atomic<int> done{0};
  Latch all;
  for (uint32_t i = 1; i <= 8; ++i) {
    auto t = rig.submit(rig.key("g"), limit(a, book::Side::Buy, kMid - kTick * i, kLot, i), [&](SeqNo, Timestamp, std::span<const engine::Event>) {
      if (++done == 8) all.set();
    });
    ASSERT_TRUE(t.is_ok()) << t.status().to_string();
  }
  all.wait();
  const SequencerStats after = rig.sequencer().stats();
  EXPECT_EQ(after.applied_batches - before.applied_batches, 1u);
  EXPECT_EQ(after.sync_batches - before.sync_batches, 1u);
  EXPECT_EQ(after.records_synced - before.records_synced, 8u);
}

// A cancel ends the wait at once and, its lane first, is sequenced before the order that waited.
TEST(SequencerGroupCommit, ACancelIsNeverHeldBackToFillABatch) {
  Rig rig(grouping_options());
  const AccountId a = rig.trader("c");
  rig.run(rig.key("c"), limit(a, book::Side::Buy, kMid - kTick, kLot, 7));
  SeqNo order_seq = 0, cancel_seq = 0;
  Latch both;
  std::atomic<int> done{0};
  auto t1 = rig.submit(rig.key("c"), limit(a, book::Side::Buy, kMid - 2 * kTick, kLot, 8), [&](SeqNo s, Timestamp, std::span<const engine::Event>) {
    order_seq = s;
    if (++done == 2) both.set();
  });
  auto t2 = rig.submit(rig.key("c"), engine::CancelOrder{a, 0, 0, 7}, [&](SeqNo s, Timestamp, std::span<const engine::Event>) {
    cancel_seq = s;
    if (++done == 2) both.set();
  });
  ASSERT_TRUE(t1.is_ok() && t2.is_ok());
  both.wait();
  EXPECT_LT(cancel_seq, order_seq);
}

// Commands waiting for their batch to fill when stop() comes are applied, made durable and
// completed, in seq order; replay gives the live state.
TEST(SequencerGroupCommit, StopLosesNoWaitingCommand) {
  std::vector<SeqNo> released;
  SequencerHooks hooks;
  hooks.on_durable = [&](const engine::Command& c, std::span<const engine::Event>) { released.push_back(c.seq); };
  Rig rig(grouping_options(), std::move(hooks));
  const AccountId a = rig.trader("s");
  const SeqNo setup_end = rig.sequencer().durable_seq();
  std::atomic<int> completed{0};
  for (uint32_t i = 1; i <= 3; ++i) {  // fewer than the batch target: the engine thread waits for more
    auto t = rig.submit(rig.key("s"), limit(a, book::Side::Sell, kMid + kTick * i, kLot, i),
                        [&](SeqNo, Timestamp, std::span<const engine::Event>) { ++completed; });
    ASSERT_TRUE(t.is_ok());
  }
  rig.sequencer().stop();
  EXPECT_EQ(completed.load(), 3);
  EXPECT_EQ(rig.sequencer().durable_seq(), setup_end + 3);
  ASSERT_FALSE(released.empty());
  for (size_t i = 1; i < released.size(); ++i) EXPECT_EQ(released[i], released[i - 1] + 1);
  EXPECT_EQ(released.back(), setup_end + 3);
  EXPECT_EQ(replayed_root(rig.dir(), rig.config()), rig.sequencer().engine().state_root());
}

}  // namespace
}  // namespace glassbook::journal::testing
