// The gateway test rig: a node on a fresh journal directory, its exchange view, stream hub and gateway
// (in process, no sockets), signed Backpack requests, and the error code of a response.
#pragma once
#include <gtest/gtest.h>
#include <fmt/format.h>
#include <simdjson.h>

#include <functional>
#include <future>
#include <memory>

#include "../journal/journal_test_util.h"
#include "api/gateway.h"
#include "engine/command.h"

namespace glassbook::api::testing {

inline constexpr int64_t kNow = 1'900'000'000'000;  // the gateway's and sequencer's clock in these tests (ms, after genesis)

// A node on a fresh directory with the demo configuration (as `adjust` changes it), its view, hub
// and gateway, and two funded accounts.
class GatewayRig {
 public:
  // `adjust_node` sees the node's options last (its sequencer limits, its on_durable to wrap).
  explicit GatewayRig(const std::function<void(engine::ExchangeConfig&)>& adjust = {},
                      const std::function<void(journal::NodeOptions&)>& adjust_node = {}) {
    journal::NodeOptions no;
    no.dir = dir_.path();
    no.genesis = engine::demo_config(watcher_.public_key());
    if (adjust) adjust(*no.genesis);
    no.genesis->log_key = log_.public_key();
    no.log_key = log_;
    no.sequencer.clock = [] { return kNow * 1000; };
    no.on_recovered = [this](const engine::Engine& e) {
      view_ = std::make_unique<ExchangeView>(std::move(engine::Engine::restore(e.snapshot())).value());
      feed_ = std::make_unique<StreamFeed>(*view_, hub_);
    };
    no.on_durable = [this](const engine::Command& c, std::span<const engine::Event> ev) { (*feed_)(c, ev); };
    if (adjust_node) adjust_node(no);
    node_ = std::move(journal::Node::open(std::move(no))).value();
    restart_gateway();
    for (const auto* k : {&alice_, &bob_}) {
      submit_native(*k, engine::RegisterAccount{k->public_key()});
      const AccountId a = *view_->account_of(k->public_key());
      submit_native(watcher_, engine::Deposit{a, 1, 1000'000'000'000, a * 10 + 1});    // 1000 SOL
      submit_native(watcher_, engine::Deposit{a, 2, 1000'000'000'000, a * 10 + 2});    // 1,000,000 USDC
    }
  }
  ~GatewayRig() { node_->stop(); }

  // A new gateway on the same node and view: it remembers nothing of the requests the previous one
  // saw (its replay guard is empty), as after a restart.
  void restart_gateway(const std::function<void(GatewayOptions&)>& adjust = {}) {
    GatewayOptions go;
    go.now_ms = [] { return kNow; };
    go.per_key = RateLimit{1e6, 1e6};
    if (adjust) adjust(go);
    gateway_ = std::make_unique<Gateway>(*node_, *view_, hub_, go);
  }

  void submit_native(const crypto::KeyPair& key, engine::CommandBody body) {
    std::promise<void> done;
    auto sc = engine::sign_command(key, 0, 0, std::move(body));
    ASSERT_TRUE(node_->submit(journal::submission_of(sc), [&](SeqNo, Timestamp, std::span<const engine::Event>) { done.set_value(); }).is_ok());
    done.get_future().wait();
  }

  // A signed request as a Backpack client sends it; `text` is what gets signed (normally the text
  // the gateway rebuilds from the body).
  HttpRequest request(const crypto::KeyPair& key, std::string method, std::string path, std::string body, std::string_view text,
                      int64_t ts = kNow, std::string window = "5000") {
    HttpRequest r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.body = std::move(body);
    r.remote_ip = "127.0.0.1";
    r.headers["x-api-key"] = crypto::base64_encode(key.public_key());
    r.headers["x-signature"] = crypto::base64_encode(key.sign(text));
    r.headers["x-timestamp"] = std::to_string(ts);
    r.headers["x-window"] = window;
    return r;
  }

  HttpResponse call(HttpRequest r) {
    auto p = std::make_shared<std::promise<HttpResponse>>();
    auto f = p->get_future();
    gateway_->handle(std::move(r), [p](HttpResponse resp) { p->set_value(std::move(resp)); });
    return f.get();
  }

  uint64_t journaled() const { return node_->tree_size(); }

  journal::testing::TempDir dir_;
  crypto::KeyPair log_ = crypto::KeyPair::from_seed(crypto::seed_from_label("gw/log"));
  crypto::KeyPair watcher_ = crypto::KeyPair::from_seed(crypto::seed_from_label("gw/watcher"));
  crypto::KeyPair alice_ = crypto::KeyPair::from_seed(crypto::seed_from_label("gw/alice"));
  crypto::KeyPair bob_ = crypto::KeyPair::from_seed(crypto::seed_from_label("gw/bob"));
  StreamHub hub_;
  std::unique_ptr<ExchangeView> view_;
  std::unique_ptr<StreamFeed> feed_;
  std::unique_ptr<journal::Node> node_;
  std::unique_ptr<Gateway> gateway_;
};

inline std::string code_of(const HttpResponse& r) {
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  if (parser.parse(r.body).get(e) != simdjson::SUCCESS) return "<not json>";
  std::string_view code;
  if (e["code"].get(code) != simdjson::SUCCESS) return "<no code>";
  return std::string(code);
}

}  // namespace glassbook::api::testing
