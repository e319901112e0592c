// The accept loop: one HttpSession per connection, closed at once over the connection limits or while stopping.
#include "api/listener.h"

#include <fmt/format.h>

#include <boost/asio/strand.hpp>
#include <chrono>

#include "api/http_session.h"

namespace glassbook::api {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

Listener::Listener(std::shared_ptr<ServerCore> core)
    : core_(std::move(core)), acceptor_(asio::make_strand(core_->io())), retry_(acceptor_.get_executor()) {}

Result<std::shared_ptr<Listener>> Listener::open(std::shared_ptr<ServerCore> core) {
  const ServerOptions& options = core->options();
  auto listener = std::make_shared<Listener>(std::move(core));
  auto fail = [&](std::string_view what, const boost::system::error_code& ec) {
    return Status(Error::Io, fmt::format("cannot listen on {}:{}: {}: {}", options.address, options.port, what,
                                         ec.message()));
  };
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(options.address, ec);
  if (ec) return fail("address", ec);
  const tcp::endpoint endpoint(address, options.port);
  tcp::acceptor& acceptor = listener->acceptor_;
  acceptor.open(endpoint.protocol(), ec);
  if (ec) return fail("open", ec);
  acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (ec) return fail("reuse_address", ec);
  acceptor.bind(endpoint, ec);
  if (ec) return fail("bind", ec);
  acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen", ec);
  listener->port_ = acceptor.local_endpoint(ec).port();
  if (ec) return fail("local_endpoint", ec);
  return listener;
}

void Listener::start() {
  asio::post(acceptor_.get_executor(), [self = shared_from_this()] { self->accept(); });
}

void Listener::close() {
  asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
    self->closed_ = true;
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
    self->retry_.cancel();
  });
}

void Listener::accept() {
  if (closed_) return;
  acceptor_.async_accept(asio::make_strand(core_->io()),
                         [self = shared_from_this()](boost::beast::error_code ec, tcp::socket socket) {
                           self->on_accept(ec, std::move(socket));
                         });
}

void Listener::on_accept(boost::beast::error_code ec, tcp::socket socket) {
  if (closed_ || ec == asio::error::operation_aborted) return;
  if (ec) {  // EMFILE and the like: retry a little later instead of spinning
    retry_.expires_after(std::chrono::milliseconds(50));
    retry_.async_wait([self = shared_from_this()](boost::beast::error_code wait_ec) {
      if (!wait_ec) self->accept();
    });
    return;
  }
  try {
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);  // responses and stream frames go out at once
    const uint64_t id = core_->next_id();
    auto session = std::make_shared<HttpSession>(core_, std::move(socket), id);
    if (core_->add(id, session, session->remote_ip(), /*check_limit=*/true)) session->start();
    // Otherwise the session is destroyed here and its socket closed at once.
  } catch (...) {
    // Out of memory for this connection: it is dropped, the listener goes on.
  }
  accept();
}

}  // namespace glassbook::api
