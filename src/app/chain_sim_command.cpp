// `glassbook chain-sim`: opens or creates the chain's state, serves it, mines on its timer, stops on a signal.
#include "app/chain_sim_command.h"

#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "app/chain_sim_server.h"
#include "app/stop_signal.h"
#include "custody/sim_chain_file.h"

namespace glassbook::app {

namespace {

int fail(const std::string& what) {
  fmt::print(stderr, "chain-sim: {}\n", what);
  return 1;
}

}  // namespace

int run_chain_sim(const ChainSimOptions& o) {
  block_stop_signals();
  if (o.min_fee < 0 || o.min_fee > custody::SimChain::kMaxAmount) return fail("--min-fee out of range");
  std::error_code ec;
  const bool resumed = std::filesystem::exists(o.state_file, ec);
  Result<custody::SimChain> chain = resumed ? custody::load_sim_chain(o.state_file)
                                            : Result<custody::SimChain>(custody::SimChain(custody::SimChainOptions{o.name, o.seed, o.min_fee}));
  if (!chain) return fail(chain.status().message());
  if (resumed && o.chain_given &&
      (chain->options().name != o.name || chain->options().seed != o.seed || chain->options().min_fee != o.min_fee))
    return fail(fmt::format("{} holds chain {} (minimum fee {}), not {}/{} (minimum fee {}): another chain needs another state file",
                            o.state_file, chain->chain_id(), chain->options().min_fee, o.name, o.seed, o.min_fee));
  if (!resumed) {
    if (auto s = custody::save_sim_chain(*chain, o.state_file); !s) return fail(s.message());
  }
  const std::string chain_id = chain->chain_id();

  api::ServerOptions so;
  so.address = "127.0.0.1";  // a test chain: never on an outside interface
  so.port = o.port;
  so.threads = 1;
  auto server = ChainSimServer::start(std::move(chain).value(), o.state_file, o.test_methods, so);
  if (!server) return fail(server.status().to_string());
  const std::string url = fmt::format("http://127.0.0.1:{}", (*server)->port());
  const custody::BlockHeader tip = (*server)->tip();
  fmt::print("chain-sim: chain {} at height {} ({} {}), JSON-RPC on {}{}\n", chain_id, tip.height, resumed ? "resumed from" : "new in",
             o.state_file, url, o.test_methods ? " with test methods" : "");
  if (o.block_seconds > 0) fmt::print("chain-sim: a block every {:g} s\n", o.block_seconds);
  std::fflush(stdout);
  if (!o.ready_file.empty()) {
    const std::string tmp = o.ready_file + ".tmp";
    std::ofstream(tmp, std::ios::trunc) << url << " " << chain_id << " " << tip.height << "\n";
    std::filesystem::rename(tmp, o.ready_file, ec);
    if (ec) return fail(fmt::format("cannot write {}: {}", o.ready_file, ec.message()));
  }

  int rc = 0;
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    double wait = o.block_seconds > 0 ? o.block_seconds : 0;
    if (o.seconds > 0) {
      const double left = o.seconds - std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (left <= 0) break;
      wait = wait > 0 ? std::min(wait, left) : left;
    }
    const bool block_due = o.block_seconds > 0 && wait == o.block_seconds;  // not when only the --seconds bound was left
    if (wait_for_stop(wait)) break;
    if (block_due) {
      if (auto s = (*server)->mine_block(); !s) {
        fmt::print(stderr, "chain-sim: {}\n", s.to_string());
        rc = 2;
        break;
      }
    }
  }
  (*server)->stop();
  fmt::print("chain-sim: stopped at height {}\n", (*server)->tip().height);
  return rc;
}

}  // namespace glassbook::app
