// libFuzzer target: the simulated chain's JSON-RPC handler, and the watcher's two text files. Every
// input must get an answer (an error object or a result), and an error must leave the chain exactly
// as it was; the files' parsers must refuse or accept without crashing, and what they accept must
// format back to the same entries.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "custody/deposit_addresses.h"
#include "custody/sim_chain.h"
#include "custody/sim_chain_rpc.h"
#include "custody/sim_keys.h"
#include "custody/watch_cursor.h"

namespace {

using namespace glassbook;

[[noreturn]] void fail(const char* what, std::string_view input) {
  std::fprintf(stderr, "sim_chain_rpc_fuzz: %s\ninput: %.*s\n", what, static_cast<int>(input.size()), input.data());
  std::abort();
}

// A chain with a funded address, a mined transfer and a pending one, so that queries have something to find.
custody::SimChain seeded_chain() {
  custody::SimChain chain(custody::SimChainOptions{"fuzz", 1, 10});
  const crypto::KeyPair alice = crypto::KeyPair::from_seed(crypto::seed_from_label("fuzz/alice"));
  const custody::Address bob = custody::address_of(crypto::KeyPair::from_seed(crypto::seed_from_label("fuzz/bob")).public_key());
  (void)chain.faucet(custody::address_of(alice.public_key()), "BTC", 1'000'000);
  (void)chain.mine(2);
  (void)chain.send(custody::sign_transfer(chain.chain_id(), alice, bob, "BTC", 1'000, 10, 1));
  (void)chain.mine(1);
  (void)chain.send(custody::sign_transfer(chain.chain_id(), alice, bob, "BTC", 2'000, 10, 2));
  return chain;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const custody::SimChain base = seeded_chain();
  static const std::string base_bytes = base.encode();
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  custody::SimChain chain = base;
  const custody::RpcAnswer a = custody::handle_sim_chain_rpc(chain, input, true);
  const bool refused = a.body.find("\"error\":{\"code\":") != std::string::npos;
  if (refused && chain.encode() != base_bytes) fail("a refused request changed the chain", input);
  if (!a.changed && chain.encode() != base_bytes) fail("a request changed the chain without saying so", input);

  if (auto book = custody::parse_address_book(input)) {
    auto again = custody::parse_address_book(custody::format_address_book(*book));
    if (!again || *again != *book) fail("an accepted address book does not format back to itself", input);
  }
  if (auto cursor = custody::parse_cursor(input)) {
    auto again = custody::parse_cursor(custody::format_cursor(*cursor));
    if (!again || *again != *cursor) fail("an accepted cursor does not format back to itself", input);
  }
  return 0;
}
