// The transport floor: an HttpServer with an answer-at-once handler, loaded like the gateway.
#include "app/bench/transport_floor.h"

#include <algorithm>
#include <memory>

#include "api/http_server.h"
#include "app/bench/cpu_clock.h"

namespace glassbook::app {

namespace {

// About the size and shape of the gateway's answer to one order.
constexpr std::string_view kOrderAnswer =
    R"({"journalSeq":123456,"id":"123456","clientId":1000001,"createdAt":1767225600000,"executedQuantity":"0",)"
    R"("executedQuoteQuantity":"0","orderType":"Limit","postOnly":false,"price":"100","quantity":"0.01",)"
    R"("reduceOnly":null,"selfTradePrevention":"RejectTaker","status":"New","side":"Bid","stopLossTriggerPrice":null,)"
    R"("symbol":"SOL_USDC","takeProfitTriggerPrice":null,"timeInForce":"GTC","triggerBy":null,"triggerPrice":null})";

class AnswerAtOnce final : public api::HttpHandler, public api::WsHandler {
 public:
  void handle(api::HttpRequest, api::Respond respond) override { respond(api::HttpResponse{200, std::string(kOrderAnswer)}); }
  void on_open(const std::shared_ptr<api::WsConnection>& c) override { c->close("no streams here"); }
  void on_message(const std::shared_ptr<api::WsConnection>&, std::string_view) override {}
  void on_close(const std::shared_ptr<api::WsConnection>&) override {}
};

}  // namespace

Result<TransportFloor> measure_transport_floor(const std::vector<std::string>& requests, size_t threads, size_t connections,
                                               double seconds) {
  AnswerAtOnce handler;
  api::ServerOptions so;
  so.threads = std::max<size_t>(threads, 1);
  so.max_connections_per_address = so.max_connections;  // the load comes from one address by design
  so.reserved_for_new_addresses = 0;
  auto server = api::HttpServer::start(so, handler, handler);
  if (!server) return server.status();
  auto connected = HttpLoadClient::connect(so.address, (*server)->port(), connections);
  if (!connected) return connected.status();
  std::unique_ptr<HttpLoadClient> client = std::move(connected).value();
  const double cpu0 = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID);
  TransportFloor floor;
  floor.load = client->closed_loop(requests, seconds);
  const double cpu = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
  floor.cpu_per_request = cpu / static_cast<double>(std::max<uint64_t>(1, floor.load.received));
  client.reset();
  (*server)->stop();
  return floor;
}

}  // namespace glassbook::app
