// The demo exchange as the app tests serve it: 127.0.0.1, a free port, one I/O thread, one demo account.
#pragma once
#include <string>

#include "app/exchange_server.h"

namespace glassbook::app::testing {

inline ExchangeServerOptions loopback_demo(const std::string& dir) {
  ExchangeServerOptions eo;
  eo.data_dir = dir;
  eo.server.address = "127.0.0.1";
  eo.server.port = 0;
  eo.server.threads = 1;
  eo.demo_accounts = 1;
  return eo;
}

}  // namespace glassbook::app::testing
