// The transport floor of the gateway benchmark: the same signed requests answered by an HTTP server that does no work.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "app/bench/http_load_client.h"
#include "core/result.h"

namespace glassbook::app {

// A closed-loop run of `requests` against an HttpServer (the gateway's own, same I/O threads) whose
// handler answers every request at once with a fixed order-sized JSON body: what loopback TCP,
// HTTP parsing and the load client cost with nothing behind them.
struct TransportFloor {
  LoadResult load;
  double cpu_per_request = 0;  // CPU seconds of the whole process (server and load client) per answer
};

Result<TransportFloor> measure_transport_floor(const std::vector<std::string>& requests, size_t threads, size_t connections,
                                               double seconds);

}  // namespace glassbook::app
