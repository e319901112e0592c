// Test helpers for nodes: a log key, a genesis configuration, node options, and submitting a
// session's records through a node until they are durable.
#pragma once
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "engine/command_codec.h"
#include "journal/node.h"
#include "journal_test_util.h"

namespace glassbook::journal::testing {

inline const crypto::KeyPair& log_key() {
  static const crypto::KeyPair k = crypto::KeyPair::from_seed(crypto::seed_from_label("node-test/log"));
  return k;
}

inline engine::ExchangeConfig genesis_of(const Session& s) {
  engine::ExchangeConfig c = engine::demo_config(s.watcher_key());
  c.log_key = log_key().public_key();
  return c;
}

inline Submission submission_of(const Record& r) {
  Submission s;
  s.body = engine::decode_body(r.signed_bytes).value();
  s.signer = r.signer;
  s.signature = r.signature;
  s.signed_bytes = r.signed_bytes;
  s.kind = r.kind;
  s.lane = lane_of(s.body);
  return s;
}

inline NodeOptions options_for(const std::string& dir, const Session& s) {
  NodeOptions o;
  o.dir = dir;
  o.genesis = genesis_of(s);
  o.log_key = log_key();
  o.checkpoint_every = 64;
  o.snapshot_every = 0;
  return o;
}

// Submits every record's command and waits until the last one is durable.
inline void submit_all(Node& node, const std::vector<Record>& records) {
  std::promise<void> done;
  for (size_t i = 0; i < records.size(); ++i) {
    const bool last = i + 1 == records.size();
    for (;;) {
      auto t = node.submit(submission_of(records[i]), [&, last](SeqNo, Timestamp, std::span<const engine::Event>) {
        if (last) done.set_value();
      });
      if (t.is_ok()) break;
      ASSERT_EQ(t.status().code(), Error::Overloaded) << t.status().to_string();
      std::this_thread::yield();
    }
  }
  if (!records.empty()) done.get_future().wait();
}

// Submits every record's command and waits until it is durable before the next: one command per
// batch, so checkpoints fall exactly every checkpoint_every records.
inline void submit_each(Node& node, const std::vector<Record>& records) {
  for (const Record& r : records) {
    std::promise<void> done;
    auto t = node.submit(submission_of(r), [&](SeqNo, Timestamp, std::span<const engine::Event>) { done.set_value(); });
    ASSERT_TRUE(t.is_ok()) << t.status().to_string();
    done.get_future().wait();
  }
}

}  // namespace glassbook::journal::testing
