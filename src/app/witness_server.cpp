// The witness's HTTP handler: routes, the worker that runs add-checkpoint, the health answer.
#include "app/witness_server.h"

#include <fmt/format.h>

#include <ctime>

#include "api/json_writer.h"

namespace glassbook::app {

namespace {

api::HttpResponse text(unsigned status, std::string body, std::string content_type = "text/plain; charset=utf-8") {
  api::HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

std::string json_string(std::string_view s) {
  std::string out = "\"";
  api::append_json_escaped(out, s);
  return out + "\"";
}

}  // namespace

WitnessServer::WitnessServer(journal::Witness& witness, std::function<void(const std::string&)> on_alarm)
    : witness_(witness), on_alarm_(std::move(on_alarm)), pool_(api::QueryPoolOptions{1, 64, 0}) {}

Result<std::unique_ptr<WitnessServer>> WitnessServer::start(journal::Witness& witness, api::ServerOptions options,
                                                            std::function<void(const std::string&)> on_alarm) {
  std::unique_ptr<WitnessServer> s(new WitnessServer(witness, std::move(on_alarm)));
  options.max_body_bytes = journal::kMaxAddCheckpointBytes;
  auto server = api::HttpServer::start(std::move(options), *s, *s);
  if (!server) return server.status();
  s->server_ = std::move(server).value();
  return s;
}

WitnessServer::~WitnessServer() { stop(); }

void WitnessServer::stop() {
  if (server_) server_->stop();
}

void WitnessServer::on_open(const std::shared_ptr<api::WsConnection>& connection) {
  connection->close("a witness serves no WebSocket");
}

void WitnessServer::handle(api::HttpRequest request, api::Respond respond) {
  if (request.path == journal::kAddCheckpointPath) {
    if (request.method != "POST") return respond(text(405, "add-checkpoint takes a POST\n"));
    auto body = std::make_shared<std::string>(std::move(request.body));
    auto done = std::make_shared<api::Respond>(std::move(respond));
    pool_.post([this, body, done](bool run) {
      if (!run) return (*done)(text(503, "the witness is busy: retry\n"));
      // The witness's own clock: a cosignature says when it was made (the exchange's engine never sees it).
      const auto now = static_cast<uint64_t>(std::time(nullptr));
      journal::WitnessReply r = witness_.add_checkpoint(*body, now);
      if (!r.alarm.empty() && on_alarm_) on_alarm_(r.alarm);
      (*done)(text(r.status, std::move(r.body), std::move(r.content_type)));
    });
    return;
  }
  if (request.path == "/health" && request.method == "GET") {
    const std::string alarms = witness_.alarms();
    const std::string key = journal::encode_cosigner_key(witness_.key());
    if (alarms.empty()) return respond(text(200, fmt::format(R"({{"healthy":true,"witness":{}}})", json_string(key)), "application/json"));
    const std::string first = alarms.substr(0, alarms.find('\n'));
    return respond(text(503, fmt::format(R"({{"healthy":false,"witness":{},"alarm":{}}})", json_string(key), json_string(first)),
                        "application/json"));
  }
  respond(text(404, fmt::format("no endpoint {} {}\n", request.method, request.path)));
}

}  // namespace glassbook::app
