// The `glassbook` command: demo, bench, keys.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <sodium.h>

#include <iostream>

#include "app/bench/book_workload.h"
#include "app/bench/engine_workload.h"
#include "app/demo.h"
#include "crypto/ed25519.h"

int main(int argc, char** argv) {
  using namespace glassbook;
  CLI::App app{"Glassbook: an exchange core that cannot hide anything"};
  app.require_subcommand(1);

  app::DemoOptions demo;
  auto* demo_cmd = app.add_subcommand("demo", "run an in-process simulation of signed traders on two spot markets");
  demo_cmd->add_option("--seconds", demo.seconds, "wall-clock bound of the trading phase")->check(CLI::Range(0.0, 3600.0));
  demo_cmd->add_option("--commands", demo.max_commands, "bound on the number of commands")->check(CLI::Range(1ull, 1'000'000'000ull));
  demo_cmd->add_option("--accounts", demo.accounts, "simulated accounts (one in ten makes markets)")->check(CLI::Range(20u, 100'000u));
  demo_cmd->add_option("--seed", demo.seed, "seed of the simulated traders");
  demo_cmd->add_flag("--quiet", demo.quiet, "no progress lines");

  auto* bench_cmd = app.add_subcommand("bench", "print benchmark figures");
  bench_cmd->require_subcommand(1);
  app::EngineWorkloadOptions ew;
  uint64_t book_orders = 1'000'000;
  uint64_t book_seed = 1;
  auto* bench_engine = bench_cmd->add_subcommand("engine", "workload 1 (book through the C interface) and workload 2 (full engine)");
  bench_engine->add_option("--commands", ew.commands, "workload 2 commands")->check(CLI::Range(1000ull, 100'000'000ull));
  bench_engine->add_option("--book-orders", book_orders, "workload 1 new orders per path")->check(CLI::Range(1000ull, 100'000'000ull));
  bench_engine->add_option("--seed", ew.seed, "seed of both workloads");

  auto* keys_cmd = app.add_subcommand("keys", "generate an Ed25519 key pair (printed in base64)");

  CLI11_PARSE(app, argc, argv);

  if (demo_cmd->parsed()) return app::run_demo(demo);
  if (bench_engine->parsed()) {
    book_seed = ew.seed;
    const int book_rc = bench::run_book_workload(std::cout, book_seed, book_orders);
    const bool engine_ok = app::run_engine_workload(std::cout, ew) > 0;
    return book_rc == 0 && engine_ok ? 0 : 1;
  }
  if (keys_cmd->parsed()) {
    crypto::ensure_sodium();
    crypto::Seed seed{};
    randombytes_buf(seed.data(), seed.size());
    auto kp = crypto::KeyPair::from_seed(seed);
    fmt::print("public key:  {}\n", crypto::base64_encode(kp.public_key()));
    fmt::print("secret seed: {}\n", crypto::base64_encode(seed));
    fmt::print("(keep the secret seed with its owner: the exchange only ever needs the public key)\n");
    return 0;
  }
  return 0;
}
