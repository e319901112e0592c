// HttpServer's WebSocket side: open and echo, ping, message limit, slow consumers, closes, ordering.
#include <gtest/gtest.h>

#include "api/http_server.h"
#include "server_test_util.h"

namespace glassbook::api {
namespace {

using namespace glassbook::api::testing;

TEST(WsSession, OpensOnAnyPathEchoesAndClosesOnce) {
  RecordingHttpHandler http;
  RecordingWsHandler ws;
  auto server = start_server(http, ws);
  ASSERT_TRUE(server);
  {
    WsClient client(server->port(), "/any/path?x=1");
    client.ws.write(asio::buffer(std::string("hello")));
    EXPECT_EQ(client.read(), "hello");
    ASSERT_EQ(ws.total_opens(), 1u);
    auto connection = ws.connection(0);
    EXPECT_EQ(connection->remote_ip(), "127.0.0.1");
    EXPECT_EQ(server->connections(), 1u);
    client.ws.close(websocket::close_code::normal);
  }
  ASSERT_TRUE(eventually([&] { return ws.total_closes() == 1; }));
  EXPECT_TRUE(eventually([&] { return server->connections() == 0; }));
  std::lock_guard lock(ws.mutex);
  EXPECT_EQ(ws.opens.begin()->second, 1);
  EXPECT_EQ(ws.closes.begin()->second, 1);
  EXPECT_EQ(http.requests.size(), 0u);  // the upgrade never reached the HTTP handler
}

TEST(WsSession, MessagesArriveInOrder) {
  RecordingHttpHandler http;
  RecordingWsHandler ws;
  auto server = start_server(http, ws);
  ASSERT_TRUE(server);
  WsClient client(server->port());
  for (int i = 0; i < 200; ++i) client.ws.write(asio::buffer(std::to_string(i)));
  for (int i = 0; i < 200; ++i) ASSERT_EQ(client.read(), std::to_string(i));
  std::lock_guard lock(ws.mutex);
  ASSERT_EQ(ws.messages.size(), 200u);
  for (int i = 0; i < 200; ++i) EXPECT_EQ(ws.messages[static_cast<size_t>(i)], std::to_string(i));
}

TEST(WsSession, PingIsAnsweredWithPong) {
  RecordingHttpHandler http;
  RecordingWsHandler ws;
  auto server = start_server(http, ws);
  ASSERT_TRUE(server);
  WsClient client(server->port());
  std::vector<std::string> pongs;
  client.ws.control_callback([&](websocket::frame_type kind, beast::string_view payload) {
    if (kind == websocket::frame_type::pong) pongs.emplace_back(payload);
  });
  client.ws.ping("are you there");
  client.ws.write(asio::buffer(std::string("after")));
  EXPECT_EQ(client.read(), "after");  // the pong was read (and reported) before the echo
  ASSERT_EQ(pongs.size(), 1u);
  EXPECT_EQ(pongs[0], "are you there");
}

TEST(WsSession, MessageOverTheLimitClosesWith1009) {
  RecordingHttpHandler http;
  RecordingWsHandler ws;
  ServerOptions options;
  options.max_frame_bytes = 1024;
  auto server = start_server(http, ws, options);
  ASSERT_TRUE(server);
  {
    WsClient client(server->port());
    client.ws.write(asio::buffer(std::string(1024, 'a')));  // at the limit: fine
    EXPECT_EQ(client.read().size(), 1024u);
    client.ws.write(asio::buffer(std::string(1500, 'b')));
    EXPECT_EQ(client.read(), "");
    EXPECT_EQ(client.error, websocket::error::closed);
    EXPECT_EQ(client.ws.reason().code, websocket::close_code::too_big);
    EXPECT_EQ(reason_text(client), "message over 1024 bytes");
  }
  {
    // Split into frames, the message is counted whole.
    WsClient client(server->port());
    client.ws.auto_fragment(true);
    client.ws.write_buffer_bytes(256);
    client.ws.write(asio::buffer(std::string(2000, 'c')));
    client.read();
    EXPECT_EQ(client.ws.reason().code, websocket::close_code::too_big);
  }
  {
    // A frame over twice the limit is refused from its header alone (Beast's own check; no reason).
    WsClient client(server->port());
    client.ws.write(asio::buffer(std::string(3000, 'd')));
    client.read();
    EXPECT_TRUE(client.error);
    EXPECT_EQ(client.ws.reason().code, websocket::close_code::too_big);
  }
  EXPECT_TRUE(eventually([&] { return ws.total_closes() == 3; }));
  std::lock_guard lock(ws.mutex);
  EXPECT_EQ(ws.messages.size(), 1u);  // only the message at the limit was delivered
}

TEST(WsSession, SlowConsumerIsClosedAndSendFails) {
  RecordingHttpHandler http;
  RecordingWsHandler ws;
  ServerOptions options;
  options.max_ws_queue_bytes = 1 << 20;
  auto server = start_server(http, ws, options);
  ASSERT_TRUE(server);
  WsClient client(server->port());  // never reads until the server gives up on it
  ASSERT_TRUE(eventually([&] { return ws.total_opens() == 1; }));
  auto connection = ws.connection(0);

  const std::string frame(64 * 1024, 'x');
  constexpr int kMaxSends = 4096;  // 256 MiB: far beyond socket buffers plus the 1 MiB queue
  int accepted = 0;
  while (accepted < kMaxSends && connection->send(frame)) ++accepted;
  ASSERT_LT(accepted, kMaxSends);
  EXPECT_GE(accepted, 16);  // at least the queue's worth went through
  EXPECT_FALSE(connection->send("more"));

  int received = 0;
  while (!client.read().empty()) ++received;
  EXPECT_LE(received, accepted);  // what was queued when the limit hit is dropped
  EXPECT_EQ(client.error, websocket::error::closed);
  EXPECT_EQ(client.ws.reason().code, websocket::close_code::policy_error);
  EXPECT_EQ(reason_text(client), "slow consumer: more than 1048576 bytes unsent");
  EXPECT_TRUE(eventually([&] { return ws.total_closes() == 1; }));
  EXPECT_FALSE(connection->send("after"));
  std::lock_guard lock(ws.mutex);
  EXPECT_EQ(ws.closes.begin()->second, 1);
}

TEST(WsSession, CloseSendsQueuedFramesThenTheReason) {
  RecordingHttpHandler http;
  RecordingWsHandler ws;
  auto server = start_server(http, ws);
  ASSERT_TRUE(server);
  WsClient client(server->port());
  ASSERT_TRUE(eventually([&] { return ws.total_opens() == 1; }));
  auto connection = ws.connection(0);
  EXPECT_TRUE(connection->send("one"));
  EXPECT_TRUE(connection->send("two"));
  connection->close("bye");
  connection->close("again");  // idempotent
  EXPECT_FALSE(connection->send("three"));
  EXPECT_EQ(client.read(), "one");
  EXPECT_EQ(client.read(), "two");
  EXPECT_EQ(client.read(), "");
  EXPECT_EQ(client.error, websocket::error::closed);
  EXPECT_EQ(client.ws.reason().code, websocket::close_code::normal);
  EXPECT_EQ(reason_text(client), "bye");
  EXPECT_TRUE(eventually([&] { return ws.total_closes() == 1; }));
}

TEST(WsSession, LongCloseReasonsAreTruncatedTo123Bytes) {
  RecordingHttpHandler http;
  RecordingWsHandler ws;
  auto server = start_server(http, ws);
  ASSERT_TRUE(server);
  WsClient client(server->port());
  ASSERT_TRUE(eventually([&] { return ws.total_opens() == 1; }));
  std::string reason(122, 'r');
  reason += "\xC3\xA9 and more";  // a two-byte character across the 123rd byte
  ws.connection(0)->close(reason);
  client.read();
  EXPECT_EQ(client.error, websocket::error::closed);
  EXPECT_EQ(reason_text(client), std::string(122, 'r'));
}

TEST(WsSession, ConnectionIdsAreUnique) {
  RecordingHttpHandler http;
  RecordingWsHandler ws;
  auto server = start_server(http, ws);
  ASSERT_TRUE(server);
  WsClient a(server->port());
  WsClient b(server->port());
  ASSERT_TRUE(eventually([&] { return ws.total_opens() == 2; }));
  EXPECT_NE(ws.connection(0)->id(), ws.connection(1)->id());
  EXPECT_EQ(server->connections(), 2u);
}

}  // namespace
}  // namespace glassbook::api
