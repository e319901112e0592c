// The chain-sim process's HTTP handler: routes, the worker that runs each JSON-RPC request under the
// chain's lock, the save after each change.
#include "app/chain_sim_server.h"

#include <fmt/format.h>

#include "custody/json_text.h"
#include "custody/sim_chain_file.h"
#include "custody/sim_chain_rpc.h"

namespace glassbook::app {

namespace {

api::HttpResponse answer(unsigned status, std::string body, std::string content_type = "application/json") {
  api::HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

}  // namespace

ChainSimServer::ChainSimServer(custody::SimChain chain, std::string state_file, bool test_methods)
    : chain_(std::move(chain)), state_file_(std::move(state_file)), test_methods_(test_methods), pool_(api::QueryPoolOptions{1, 256, 0}) {}

Result<std::unique_ptr<ChainSimServer>> ChainSimServer::start(custody::SimChain chain, std::string state_file, bool test_methods,
                                                              api::ServerOptions options) {
  std::unique_ptr<ChainSimServer> s(new ChainSimServer(std::move(chain), std::move(state_file), test_methods));
  options.max_body_bytes = custody::kMaxRpcRequestBytes;
  auto server = api::HttpServer::start(std::move(options), *s, *s);
  if (!server) return server.status();
  s->server_ = std::move(server).value();
  return s;
}

ChainSimServer::~ChainSimServer() { stop(); }

void ChainSimServer::stop() {
  if (server_) server_->stop();
}

Status ChainSimServer::mine_block() {
  std::lock_guard lock(mu_);
  if (auto tip = chain_.mine(1); !tip) return tip.status();
  return custody::save_sim_chain(chain_, state_file_);
}

custody::BlockHeader ChainSimServer::tip() {
  std::lock_guard lock(mu_);
  return *chain_.tip();
}

void ChainSimServer::on_open(const std::shared_ptr<api::WsConnection>& connection) {
  connection->close("the simulated chain serves JSON-RPC over HTTP POST only");
}

void ChainSimServer::handle(api::HttpRequest request, api::Respond respond) {
  if (request.path == "/health" && request.method == "GET") {
    const custody::BlockHeader t = tip();
    return respond(answer(200, fmt::format(R"({{"healthy":true,"chainId":{},"height":{}}})", custody::json_quote(chain_.chain_id()), t.height)));
  }
  if (request.path != "/") return respond(answer(404, fmt::format("no endpoint {} {}\n", request.method, request.path), "text/plain; charset=utf-8"));
  if (request.method != "POST") return respond(answer(405, "JSON-RPC requests are POSTed to /\n", "text/plain; charset=utf-8"));
  auto body = std::make_shared<std::string>(std::move(request.body));
  auto done = std::make_shared<api::Respond>(std::move(respond));
  pool_.post([this, body, done](bool run) {
    if (!run) return (*done)(answer(503, R"({"jsonrpc":"2.0","id":null,"error":{"code":-32000,"message":"the chain is busy: retry","data":{"code":"OVERLOADED"}}})"));
    std::lock_guard lock(mu_);
    custody::RpcAnswer a = custody::handle_sim_chain_rpc(chain_, *body, test_methods_);
    if (a.changed) {
      // Answered only once on disk: a client told "sent" finds its transfer after a restart.
      if (auto s = custody::save_sim_chain(chain_, state_file_); !s) {
        fmt::print(stderr, "chain-sim: {}\n", s.to_string());
        return (*done)(answer(500, fmt::format(R"({{"jsonrpc":"2.0","id":null,"error":{{"code":-32603,"message":{},"data":{{"code":"IO"}}}}}})",
                                               custody::json_quote("the state could not be saved: " + s.message()))));
      }
    }
    if (a.body.empty()) return (*done)(answer(204, ""));
    (*done)(answer(200, std::move(a.body)));
  });
}

}  // namespace glassbook::app
