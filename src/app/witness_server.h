// The witness's HTTP face (Boost.Beast, as the gateway's): POST /add-checkpoint and GET /health over a Witness.
#pragma once
#include <functional>
#include <memory>
#include <string>

#include "api/http_server.h"
#include "api/query_pool.h"
#include "journal/witness.h"

namespace glassbook::app {

// POST /add-checkpoint   the tlog-witness call (journal::Witness::add_checkpoint), run off the I/O
//                        threads on one worker (each call may fsync); 503 when 64 already wait
// GET  /health           200 {"healthy":true,"witness":"<key>"}; once the witness refused a rollback
//                        or a fork, 503 {"healthy":false,"alarm":"<first alarm line>"}
// Anything else is 404. `on_alarm` (may be empty) sees every alarm text, on the worker thread.
class WitnessServer : public api::HttpHandler, public api::WsHandler {
 public:
  static Result<std::unique_ptr<WitnessServer>> start(journal::Witness& witness, api::ServerOptions options,
                                                      std::function<void(const std::string&)> on_alarm = {});
  ~WitnessServer() override;
  uint16_t port() const { return server_->port(); }
  void stop();

  void handle(api::HttpRequest request, api::Respond respond) override;
  void on_open(const std::shared_ptr<api::WsConnection>& connection) override;
  void on_message(const std::shared_ptr<api::WsConnection>&, std::string_view) override {}
  void on_close(const std::shared_ptr<api::WsConnection>&) override {}

 private:
  WitnessServer(journal::Witness& witness, std::function<void(const std::string&)> on_alarm);

  journal::Witness& witness_;
  std::function<void(const std::string&)> on_alarm_;
  api::QueryPool pool_;
  std::unique_ptr<api::HttpServer> server_;
};

}  // namespace glassbook::app
