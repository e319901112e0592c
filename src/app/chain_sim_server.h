// The simulated chain's HTTP face (Boost.Beast through api::HttpServer): JSON-RPC 2.0 by POST on /,
// the state saved to its file after every change and before the answer.
#pragma once
#include <memory>
#include <mutex>
#include <string>

#include "api/http_server.h"
#include "api/query_pool.h"
#include "custody/sim_chain.h"

namespace glassbook::app {

// POST /        one JSON-RPC request (custody/sim_chain_rpc.h); 200 with the response, 204 for a
//               notification; run on one worker, never on the I/O threads, since a change is fsynced
// GET  /health  200 {"healthy":true,"chainId":"...","height":N}
// Anything else is 404 (405 for another method on /).
class ChainSimServer : public api::HttpHandler, public api::WsHandler {
 public:
  static Result<std::unique_ptr<ChainSimServer>> start(custody::SimChain chain, std::string state_file, bool test_methods,
                                                       api::ServerOptions options);
  ~ChainSimServer() override;
  uint16_t port() const { return server_->port(); }
  void stop();

  // Mines one block (the timer of --block-seconds) and saves the state.
  Status mine_block();
  custody::BlockHeader tip();

  void handle(api::HttpRequest request, api::Respond respond) override;
  void on_open(const std::shared_ptr<api::WsConnection>& connection) override;
  void on_message(const std::shared_ptr<api::WsConnection>&, std::string_view) override {}
  void on_close(const std::shared_ptr<api::WsConnection>&) override {}

 private:
  ChainSimServer(custody::SimChain chain, std::string state_file, bool test_methods);

  std::mutex mu_;  // guards chain_ and its file
  custody::SimChain chain_;
  const std::string state_file_;
  const bool test_methods_;
  api::QueryPool pool_;
  std::unique_ptr<api::HttpServer> server_;
};

}  // namespace glassbook::app
