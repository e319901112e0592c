// The demo exchange server: start-up from recovery to listening, and the orderly stop.
#include "app/exchange_server.h"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>

namespace glassbook::app {

Result<std::unique_ptr<ExchangeServer>> ExchangeServer::start(ExchangeServerOptions o) {
  std::unique_ptr<ExchangeServer> s(new ExchangeServer());
  std::error_code ec;
  std::filesystem::create_directories(o.data_dir, ec);
  if (ec) return Status(Error::Io, fmt::format("cannot create {}: {}", o.data_dir, ec.message()));

  ExchangeServer* self = s.get();
  journal::NodeOptions no;
  no.dir = o.data_dir;
  no.genesis = demo_exchange_config(s->keys_);
  no.log_key = s->keys_.log;
  no.checkpoint_every = o.checkpoint_every;
  no.sequencer = o.sequencer;
  // The view starts as a copy of the recovered engine and then follows every durable command.
  no.on_recovered = [self](const engine::Engine& engine) {
    auto shadow = engine::Engine::restore(engine.snapshot());
    if (!shadow) {
      std::fprintf(stderr, "serve: cannot copy the recovered engine: %s\n", shadow.status().to_string().c_str());
      std::abort();
    }
    self->view_ = std::make_unique<api::ExchangeView>(std::move(shadow).value());
    self->feed_ = std::make_unique<api::StreamFeed>(*self->view_, self->hub_);
  };
  no.on_durable = [self](const engine::Command& c, std::span<const engine::Event> events) { (*self->feed_)(c, events); };
  auto node = journal::Node::open(std::move(no));
  if (!node) return node.status();
  s->node_ = std::move(node).value();

  if (s->node_->recovery().created) {
    if (auto f = fund_insurance(*s->node_, s->keys_, o.insurance_capital); !f)
      return Status(f.code(), "insurance fund: " + f.message());
  }

  auto accounts = ensure_demo_accounts(*s->node_, *s->view_, s->keys_, o.demo_accounts);
  if (!accounts) return Status(accounts.status().code(), "demo accounts: " + accounts.status().message());
  s->accounts_ = std::move(accounts).value();

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
  if (node_) node_->stop();
}

std::string ExchangeServer::url() const { return fmt::format("http://{}:{}", address_, server_->port()); }

}  // namespace glassbook::app
