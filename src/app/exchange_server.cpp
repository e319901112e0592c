// The exchange server: start-up from recovery to listening, and the orderly stop.
#include "app/exchange_server.h"

#include <fmt/format.h>

#include <filesystem>

#include "api/view_rebuild.h"

namespace glassbook::app {

Result<std::unique_ptr<ExchangeServer>> ExchangeServer::start(ExchangeServerOptions o) {
  if (o.genesis.has_value() != o.log_key.has_value())
    return Status(Error::InvalidConfig, "a real exchange needs both its genesis and its log key");
  const bool demo = !o.genesis;
  std::unique_ptr<ExchangeServer> s(new ExchangeServer());
  if (demo) s->keys_ = demo_keys();
  std::error_code ec;
  std::filesystem::create_directories(o.data_dir, ec);
  if (ec) return Status(Error::Io, fmt::format("cannot create {}: {}", o.data_dir, ec.message()));

  ExchangeServer* self = s.get();
  journal::NodeOptions no;
  no.dir = o.data_dir;
  no.genesis = demo ? demo_exchange_config(s->keys_) : *o.genesis;
  if (demo) no.genesis->witnesses = o.demo_witnesses;
  no.log_key = demo ? s->keys_.log : *o.log_key;
  no.checkpoint_every = o.checkpoint_every;
  no.snapshot_every = o.snapshot_every;
  no.sequencer = o.sequencer;
  // The view is rebuilt from the journal (every order, fill and deposit since genesis, checked
  // against the recovered state root), then follows every durable command.
  Status view_status;
  no.on_recovered = [self, &view_status, dir = o.data_dir](const engine::Engine& engine) {
    auto view = api::rebuild_view(dir, engine);
    if (!view) {
      view_status = view.status();
      return;
    }
    self->view_ = std::move(view).value();
    self->feed_ = std::make_unique<api::StreamFeed>(*self->view_, self->hub_);
    if (self->proof_publisher_) self->proof_publisher_->recovered(engine);
  };
  no.on_durable = [self](const engine::Command& c, std::span<const engine::Event> events) {
    (*self->feed_)(c, events);
    if (self->proof_publisher_) {
      const bool refused = events.size() == 1 && events[0].kind == engine::EventKind::Rejected;
      self->proof_publisher_->on_durable(c, refused);
    }
  };
  if (o.proof_every_seconds < 0 || o.proof_every_seconds > 60)
    return Status(Error::InvalidConfig, "the proof of liabilities is published at most 60 s apart: --proof-every-seconds 0..60");
  if (demo && !o.proof_key) o.proof_key = s->keys_.proof;
  // A real exchange without its proof key publishes nothing (`glassbook serve` refuses to start one
  // whose genesis names a proof key without it).
  if (o.proof_every_seconds > 0 && o.proof_key) {
    if (no.genesis && o.proof_key->public_key() != no.genesis->proof_key)
      return Status(Error::InvalidConfig, "the proof key is not the one the genesis configuration names (proof_key)");
    ProofPublisherOptions po(*o.proof_key);
    po.keep_trees = o.proof_trees_kept;
    s->proof_publisher_ = std::make_unique<ProofPublisher>(std::move(po));
    no.state_copy_every_us = static_cast<int64_t>(o.proof_every_seconds * 1e6);
    no.on_state_copy = [self](journal::StateCopy copy) { self->proof_publisher_->offer(std::move(copy)); };
  }
  auto node = journal::Node::open(std::move(no));
  if (!node) return node.status();
  s->node_ = std::move(node).value();
  if (!view_status) return view_status;  // the node stops with the server; nothing was submitted

  if (demo && s->node_->recovery().created) {
    if (auto f = fund_insurance(*s->node_, s->keys_, o.insurance_capital); !f)
      return Status(f.code(), "insurance fund: " + f.message());
  }

  if (demo) {
    auto accounts = ensure_demo_accounts(*s->node_, *s->view_, s->keys_, o.demo_accounts);
    if (!accounts) return Status(accounts.status().code(), "demo accounts: " + accounts.status().message());
    if (auto a = allow_demo_withdrawal_addresses(*s->node_, *accounts); !a) return Status(a.code(), "demo withdrawal addresses: " + a.message());
    s->accounts_ = std::move(accounts).value();
  }

  // The witnesses the journal's genesis names (not the options': a restarted exchange keeps its own).
  if (const engine::WitnessPolicy& w = s->node_->genesis_config().witnesses; !w.witnesses.empty()) {
    auto feed = WitnessFeed::start(*s->node_, o.data_dir, w);
    if (!feed) return Status(feed.status().code(), "witnesses: " + feed.status().message());
    s->witness_feed_ = std::move(feed).value();
    WitnessFeed* f = s->witness_feed_.get();
    o.gateway.cosigned_checkpoint = [f] { return f->cosigned_checkpoint(); };
    o.gateway.witnesses_json = [f] { return f->witnesses_json(); };
  }
  if (ProofPublisher* p = s->proof_publisher_.get()) {
    p->start(*s->node_);
    o.gateway.solvency_json = [p] { return p->solvency_json(); };
    o.gateway.solvency_proof = [p](AccountId a, std::optional<SeqNo> seq, std::optional<crypto::Digest> id) { return p->proof_json(a, seq, id); };
  }
  s->gateway_ = std::make_unique<api::Gateway>(*s->node_, *s->view_, s->hub_, o.gateway);
  s->address_ = o.server.address;
  auto server = api::HttpServer::start(o.server, *s->gateway_, *s->gateway_);
  if (!server) return server.status();
  s->server_ = std::move(server).value();
  return s;
}

ExchangeServer::~ExchangeServer() { stop(); }

void ExchangeServer::stop() {
  if (stopped_) return;
  stopped_ = true;
  if (server_) server_->stop();
  // Before the node: a root being submitted is answered (or refused) while the node still runs.
  if (proof_publisher_) proof_publisher_->stop();
  if (node_) node_->stop();
  // After the node: the final checkpoint written at its stop is offered at the next start.
  if (witness_feed_) witness_feed_->stop();
}

std::string ExchangeServer::url() const { return fmt::format("http://{}:{}", address_, server_->port()); }

}  // namespace glassbook::app
