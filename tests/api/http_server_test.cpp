// HttpServer over HTTP/1.1: request fields, keep-alive, late and dropped responses, limits, errors, stop.
#include "api/http_server.h"

#include <gtest/gtest.h>

#include <thread>

#include "server_test_util.h"

namespace glassbook::api {
namespace {

using namespace glassbook::api::testing;

TEST(HttpServer, RequestsReachTheHandlerWithTheirFields) {
  RecordingHttpHandler http;
  RecordingWsHandler ws;
  auto server = start_server(http, ws);
  ASSERT_TRUE(server);
  ASSERT_NE(server->port(), 0);
  HttpClient client(server->port());

  auto get = client.request(http::verb::get, "/api/v1/depth?symbol=SOL_USDC&limit=10");
  EXPECT_EQ(get.result_int(), 200u);
  EXPECT_EQ(get.body(), "GET /api/v1/depth?symbol=SOL_USDC&limit=10 ");
  EXPECT_EQ(get[http::field::content_type], "text/plain");

  auto post = client.request(http::verb::post, "/api/v1/order", R"({"symbol":"SOL_USDC"})");
  EXPECT_EQ(post.body(), R"(POST /api/v1/order? {"symbol":"SOL_USDC"})");
  auto del = client.request(http::verb::delete_, "/api/v1/order", R"({"orderId":"7"})");
  EXPECT_EQ(del.body(), R"(DELETE /api/v1/order? {"orderId":"7"})");

  std::lock_guard lock(http.mutex);
  ASSERT_EQ(http.requests.size(), 3u);
  const HttpRequest& r = http.requests[0];
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.path, "/api/v1/depth");
  EXPECT_EQ(r.query, "symbol=SOL_USDC&limit=10");
  EXPECT_EQ(r.remote_ip, "127.0.0.1");
  EXPECT_EQ(r.headers.at("host"), "127.0.0.1");  // sent as "Host"
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(http.requests[1].method, "POST");
  EXPECT_EQ(http.requests[1].headers.at("content-type"), "application/json");
  EXPECT_EQ(http.requests[1].body, R"({"symbol":"SOL_USDC"})");
  EXPECT_EQ(http.requests[2].method, "DELETE");
  EXPECT_EQ(http.requests[2].body, R"({"orderId":"7"})");
}

TEST(HttpServer, HeaderNamesAreLowerCased) {
  RecordingHttpHandler http;
  RecordingWsHandler ws;
  auto server = start_server(http, ws);
  ASSERT_TRUE(server);
  HttpClient client(server->port());
  client.write_raw("GET /x HTTP/1.1\r\nHost: a\r\nX-API-Key: K1\r\nX-Signature: S\r\n\r\n");
  EXPECT_EQ(client.read().result_int(), 200u);
  std::lock_guard lock(http.mutex);
  ASSERT_EQ(http.requests.size(), 1u);
  EXPECT_EQ(http.requests[0].headers.at("x-api-key"), "K1");
  EXPECT_EQ(http.requests[0].headers.at("x-signature"), "S");
  EXPECT_EQ(http.requests[0].query, "");
}

TEST(HttpServer, KeepAliveServesSeveralRequestsOnOneConnection) {
  RecordingHttpHandler http;
  RecordingWsHandler ws;
  auto server = start_server(http, ws);
  ASSERT_TRUE(server);
  HttpClient client(server->port());
  for (int i = 0; i < 5; ++i) {
    auto response = client.request(http::verb::get, "/n?i=" + std::to_string(i));
    EXPECT_EQ(response.result_int(), 200u);
    EXPECT_TRUE(response.keep_alive());
    EXPECT_EQ(response.body(), "GET /n?i=" + std::to_string(i) + " ");
  }
  EXPECT_EQ(server->connections(), 1u);
  // Connection: close is honoured: the response says so and the server closes after writing it.
  auto last = client.request(http::verb::get, "/last", {}, /*keep_alive=*/false);
  EXPECT_EQ(last.result_int(), 200u);
  EXPECT_FALSE(last.keep_alive());
  EXPECT_TRUE(client.closed_by_server());
  EXPECT_TRUE(eventually([&] { return server->connections() == 0; }));
}

TEST(HttpServer, PipelinedRequestsAreAnsweredInOrder) {
  RecordingHttpHandler http;
  RecordingWsHandler ws;
  auto server = start_server(http, ws);
  ASSERT_TRUE(server);
  HttpClient client(server->port());
  client.write_raw("GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_EQ(client.read().body(), "GET /a? ");
  EXPECT_EQ(client.read().body(), "GET /b? ");
}

TEST(HttpServer, HeadIsAnsweredAsItsGetWithHeadersOnly) {
  RecordingHttpHandler http;
  RecordingWsHandler ws;
  auto server = start_server(http, ws);
  ASSERT_TRUE(server);
  HttpClient client(server->port());
  // A HEAD and a GET pipelined: the HEAD's answer has the GET's Content-Length and no body, so the
  // GET's answer follows at once (a body sent after the HEAD's headers would be read as garbage).
  client.write_raw("HEAD /h HTTP/1.1\r\nHost: h\r\n\r\nGET /g HTTP/1.1\r\nHost: h\r\n\r\n");
  http::response_parser<http::empty_body> head;
  head.skip(true);  // a response to HEAD carries no body, whatever its Content-Length says
  http::read(client.socket, client.buffer, head, client.last_error);
  ASSERT_FALSE(client.last_error) << client.last_error.message();
  EXPECT_EQ(head.get().result_int(), 200u);
  EXPECT_EQ(head.get()[http::field::content_length], std::to_string(std::string("GET /h? ").size()));
  EXPECT_EQ(head.get()[http::field::content_type], "text/plain");
  EXPECT_EQ(client.read().body(), "GET /g? ");
  std::lock_guard lock(http.mutex);
  ASSERT_EQ(http.requests.size(), 2u);
  EXPECT_EQ(http.requests[0].method, "GET");  // the handler sees the GET it answers
}

TEST(HttpServer, RespondCanBeCalledLaterFromAnotherThread) {
  RecordingHttpHandler http;
  http.mode = RecordingHttpHandler::Mode::Keep;
  RecordingWsHandler ws;
  auto server = start_server(http, ws);
  ASSERT_TRUE(server);
  HttpClient client(server->port());
  http::request<http::string_body> req{http::verb::post, "/later", 11};
  req.set(http::field::host, "h");
  req.body() = "x";
  req.prepare_payload();
  http::write(client.socket, req);
  ASSERT_TRUE(eventually([&] { return http.kept_count() == 1; }));

  Respond respond;
  {
    std::lock_guard lock(http.mutex);
    respond = http.kept[0];
  }
  std::thread responder([respond] {
    HttpResponse response;
    response.status = 201;
    response.body = R"({"ok":true})";
    respond(response);
    respond(response);  // a second call is ignored
  });
  responder.join();
  auto response = client.read();
  EXPECT_EQ(response.result_int(), 201u);
  EXPECT_EQ(response.body(), R"({"ok":true})");
  EXPECT_EQ(response[http::field::content_type], "application/json");
  EXPECT_EQ(response[http::field::content_length], "11");

  // The connection still serves the next request, and only one response came for the first.
  http.mode = RecordingHttpHandler::Mode::Echo;
  EXPECT_EQ(client.request(http::verb::get, "/next").body(), "GET /next? ");
}

TEST(HttpServer, ADroppedRespondClosesTheConnection) {
  RecordingHttpHandler http;
  http.mode = RecordingHttpHandler::Mode::Drop;
  RecordingWsHandler ws;
  auto server = start_server(http, ws);
  ASSERT_TRUE(server);
  HttpClient client(server->port());
  client.write_raw("GET /void HTTP/1.1\r\nHost: h\r\n\r\n");
  // The Respond held the connection: dropping it uncalled destroys the connection, so the client sees
  // the connection closed without a response.
  EXPECT_TRUE(client.closed_by_server());
  EXPECT_EQ(http.count(), 1u);
  EXPECT_TRUE(eventually([&] { return server->connections() == 0; }));
}

TEST(HttpServer, BodyOverTheLimitIs413AndNeverReachesTheHandler) {
  RecordingHttpHandler http;
  RecordingWsHandler ws;
  auto server = start_server(http, ws);
  ASSERT_TRUE(server);
  HttpClient client(server->port());
  auto response = client.request(http::verb::post, "/api/v1/order", std::string(65537, 'a'));
  EXPECT_EQ(response.result_int(), 413u);
  EXPECT_EQ(response.body(), R"({"code":"INVALID_CLIENT_REQUEST","message":"request body over 65536 bytes"})");
  EXPECT_EQ(response[http::field::content_type], "application/json");
  EXPECT_FALSE(response.keep_alive());
  EXPECT_TRUE(client.closed_by_server());
  EXPECT_EQ(http.count(), 0u);

  // Exactly at the limit is fine.
  HttpClient other(server->port());
  EXPECT_EQ(other.request(http::verb::post, "/ok", std::string(65536, 'b')).result_int(), 200u);
}

TEST(HttpServer, ChunkedBodyOverTheLimitIs413) {
  RecordingHttpHandler http;
  RecordingWsHandler ws;
  ServerOptions options;
  options.max_body_bytes = 100;
  auto server = start_server(http, ws, options);
  ASSERT_TRUE(server);
  HttpClient client(server->port());
  client.write_raw("POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n64\r\n" + std::string(100, 'a') +
                   "\r\n1\r\nb\r\n0\r\n\r\n");
  auto response = client.read();
  EXPECT_EQ(response.result_int(), 413u);
  EXPECT_EQ(response.body(), R"({"code":"INVALID_CLIENT_REQUEST","message":"request body over 100 bytes"})");
  EXPECT_EQ(http.count(), 0u);
}

TEST(HttpServer, HeaderOverTheLimitIs431) {
  RecordingHttpHandler http;
  RecordingWsHandler ws;
  auto server = start_server(http, ws);
  ASSERT_TRUE(server);
  HttpClient client(server->port());
  client.write_raw("GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + std::string(9000, 'x') + "\r\n\r\n");
  auto response = client.read();
  EXPECT_EQ(response.result_int(), 431u);
  EXPECT_NE(response.body().find("request header over 8192 bytes"), std::string::npos);
  EXPECT_TRUE(client.closed_by_server());
  EXPECT_EQ(http.count(), 0u);
}

TEST(HttpServer, MalformedRequestIs400AndClosed) {
  RecordingHttpHandler http;
  RecordingWsHandler ws;
  auto server = start_server(http, ws);
  ASSERT_TRUE(server);
  for (std::string garbage : {"NOT HTTP AT ALL\r\n\r\n", "GET / HTTP/1.1\r\nHost h\r\n\r\n",
                              "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: abc\r\n\r\n"}) {
    HttpClient client(server->port());
    client.write_raw(garbage);
    auto response = client.read();
    EXPECT_EQ(response.result_int(), 400u) << garbage;
    EXPECT_NE(response.body().find(R"("code":"INVALID_CLIENT_REQUEST")"), std::string::npos);
    EXPECT_TRUE(client.closed_by_server());
  }
  EXPECT_EQ(http.count(), 0u);
}

TEST(HttpServer, ExpectContinueGetsA100BeforeTheBody) {
  RecordingHttpHandler http;
  RecordingWsHandler ws;
  auto server = start_server(http, ws);
  ASSERT_TRUE(server);
  HttpClient client(server->port());
  client.write_raw("POST /e HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
  http::response_parser<http::empty_body> parser;
  http::read_header(client.socket, client.buffer, parser);
  EXPECT_EQ(parser.get().result(), http::status::continue_);
  client.write_raw("abc");
  EXPECT_EQ(client.read().body(), "POST /e? abc");
}

TEST(HttpServer, ConnectionsOverTheLimitAreClosedAtOnce) {
  RecordingHttpHandler http;
  RecordingWsHandler ws;
  ServerOptions options;
  options.max_connections = 2;
  options.reserved_for_new_addresses = 0;
  auto server = start_server(http, ws, options);
  ASSERT_TRUE(server);
  HttpClient a(server->port());
  HttpClient b(server->port());
  EXPECT_EQ(a.request(http::verb::get, "/a").result_int(), 200u);
  EXPECT_EQ(b.request(http::verb::get, "/b").result_int(), 200u);
  EXPECT_EQ(server->connections(), 2u);
  HttpClient c(server->port());
  EXPECT_TRUE(c.closed_by_server());
  EXPECT_EQ(server->connections(), 2u);
}

TEST(HttpServer, OneAddressHoldsAtMostItsShareOfConnections) {
  RecordingHttpHandler http;
  RecordingWsHandler ws;
  ServerOptions options;
  options.max_connections_per_address = 2;
  options.reserved_for_new_addresses = 0;
  auto server = start_server(http, ws, options);
  ASSERT_TRUE(server);
  HttpClient a(server->port());
  HttpClient b(server->port());
  EXPECT_EQ(a.request(http::verb::get, "/a").result_int(), 200u);
  EXPECT_EQ(b.request(http::verb::get, "/b").result_int(), 200u);
  HttpClient c(server->port());
  EXPECT_TRUE(c.closed_by_server());
  HttpClient other(server->port(), "127.0.0.2");
  EXPECT_EQ(other.request(http::verb::get, "/other").result_int(), 200u);
  EXPECT_EQ(server->connections(), 3u);
}

TEST(HttpServer, TheLastSlotsAreKeptForNewAddresses) {
  RecordingHttpHandler http;
  RecordingWsHandler ws;
  ServerOptions options;
  options.max_connections = 4;
  options.reserved_for_new_addresses = 2;
  options.max_connections_per_address = 10;
  auto server = start_server(http, ws, options);
  ASSERT_TRUE(server);
  HttpClient a(server->port());
  HttpClient b(server->port());
  EXPECT_EQ(a.request(http::verb::get, "/a").result_int(), 200u);
  EXPECT_EQ(b.request(http::verb::get, "/b").result_int(), 200u);
  HttpClient c(server->port());  // 2 of 4 open: what is left is the reserve
  EXPECT_TRUE(c.closed_by_server());
  HttpClient d(server->port(), "127.0.0.2");  // a new address takes a reserved slot
  EXPECT_EQ(d.request(http::verb::get, "/d").result_int(), 200u);
  HttpClient e(server->port(), "127.0.0.2");  // but not two
  EXPECT_TRUE(e.closed_by_server());
  HttpClient f(server->port(), "127.0.0.3");
  EXPECT_EQ(f.request(http::verb::get, "/f").result_int(), 200u);
  HttpClient g(server->port(), "127.0.0.4");  // all 4 taken
  EXPECT_TRUE(g.closed_by_server());
  EXPECT_EQ(server->connections(), 4u);
}

TEST(HttpServer, ContradictoryConnectionLimitsAreRefused) {
  RecordingHttpHandler http;
  RecordingWsHandler ws;
  ServerOptions options;
  options.max_connections = 10;
  options.reserved_for_new_addresses = 10;
  auto refused = HttpServer::start(options, http, ws);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.status().code(), Error::InvalidArgument);
  options.reserved_for_new_addresses = 0;
  options.max_connections_per_address = 0;
  EXPECT_FALSE(HttpServer::start(options, http, ws));
}

// Says it holds a subscription after "sub" and none after "unsub" (as the gateway does).
class SubscribingWsHandler : public RecordingWsHandler {
 public:
  void on_message(const std::shared_ptr<WsConnection>& c, std::string_view text) override {
    RecordingWsHandler::on_message(c, text);
    if (text == "sub" || text == "unsub") c->set_subscribed(text == "sub");
  }
};

TEST(HttpServer, WebSocketsThatSubscribeToNothingAreClosed) {
  RecordingHttpHandler http;
  SubscribingWsHandler ws;
  ServerOptions options;
  options.ws_unsubscribed_timeout = std::chrono::seconds(1);
  auto server = start_server(http, ws, options);
  ASSERT_TRUE(server);
  WsClient subscriber(server->port());
  subscriber.ws.write(asio::buffer(std::string("sub")));
  EXPECT_EQ(subscriber.read(), "sub");
  WsClient quiet(server->port());
  EXPECT_EQ(quiet.read(), "");  // closed by the server, though it answers pings
  EXPECT_NE(reason_text(quiet).find("no subscription"), std::string::npos) << reason_text(quiet);
  // Opened first, with the same timeout: the subscriber is still served.
  subscriber.ws.write(asio::buffer(std::string("still here")));
  EXPECT_EQ(subscriber.read(), "still here");
  subscriber.ws.write(asio::buffer(std::string("unsub")));
  EXPECT_EQ(subscriber.read(), "unsub");
  EXPECT_EQ(subscriber.read(), "");
  EXPECT_NE(reason_text(subscriber).find("no subscription"), std::string::npos);
}

TEST(HttpServer, IdleConnectionsAreClosed) {
  RecordingHttpHandler http;
  RecordingWsHandler ws;
  ServerOptions options;
  options.idle_timeout = std::chrono::seconds(1);
  auto server = start_server(http, ws, options);
  ASSERT_TRUE(server);
  HttpClient client(server->port());
  EXPECT_EQ(client.request(http::verb::get, "/").result_int(), 200u);
  EXPECT_TRUE(client.closed_by_server());  // after about a second of silence
  EXPECT_TRUE(eventually([&] { return server->connections() == 0; }));
}

TEST(HttpServer, StartFailsWhenThePortIsTaken) {
  RecordingHttpHandler http;
  RecordingWsHandler ws;
  auto first = start_server(http, ws);
  ASSERT_TRUE(first);
  ServerOptions options;
  options.port = first->port();
  auto second = HttpServer::start(options, http, ws);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.code(), Error::Io);
  EXPECT_NE(second.status().message().find("bind"), std::string::npos);

  options.address = "not an address";
  EXPECT_EQ(HttpServer::start(options, http, ws).code(), Error::Io);
}

TEST(HttpServer, StopClosesOpenConnectionsAndPendingResponds) {
  RecordingHttpHandler http;
  http.mode = RecordingHttpHandler::Mode::Keep;
  RecordingWsHandler ws;
  auto server = start_server(http, ws);
  ASSERT_TRUE(server);
  HttpClient idle(server->port());
  HttpClient waiting(server->port());
  waiting.write_raw("GET /pending HTTP/1.1\r\nHost: h\r\n\r\n");
  WsClient socket(server->port());
  ASSERT_TRUE(eventually([&] { return http.kept_count() == 1 && ws.total_opens() == 1; }));
  EXPECT_EQ(server->connections(), 3u);

  server->stop();
  EXPECT_EQ(server->connections(), 0u);
  EXPECT_EQ(ws.total_closes(), 1u);
  EXPECT_TRUE(idle.closed_by_server());
  EXPECT_TRUE(waiting.closed_by_server());
  socket.read();
  EXPECT_TRUE(socket.error);

  // What outlives the server does nothing.
  std::lock_guard lock(http.mutex);
  http.kept[0](HttpResponse{});
  EXPECT_FALSE(ws.connection(0)->send("late"));
  ws.connection(0)->close("late");
  server->stop();  // idempotent
}

TEST(HttpServer, StopWithNoConnectionsAndDestroyWithoutStop) {
  RecordingHttpHandler http;
  RecordingWsHandler ws;
  auto server = start_server(http, ws);
  ASSERT_TRUE(server);
  server->stop();
  auto other = start_server(http, ws);
  ASSERT_TRUE(other);
  HttpClient client(other->port());
  EXPECT_EQ(client.request(http::verb::get, "/").result_int(), 200u);
  other.reset();  // the destructor stops
  EXPECT_TRUE(client.closed_by_server());
}

}  // namespace
}  // namespace glassbook::api
