// `glassbook witness`: loads the witness key and the logs' keys, opens the state, serves until stopped.
#include "app/witness_command.h"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "app/keys_command.h"
#include "app/stop_signal.h"
#include "app/witness_server.h"
#include "journal/checkpoint.h"
#include "journal/witness.h"

namespace glassbook::app {

namespace {

int fail(const std::string& what) {
  fmt::print(stderr, "witness: {}\n", what);
  return 1;
}

}  // namespace

int run_witness(const WitnessCommandOptions& o) {
  block_stop_signals();
  const size_t colon = o.url.rfind(':');
  if (colon == std::string::npos) return fail(fmt::format("--url {}: expected host:port", o.url));
  api::ServerOptions so;
  so.address = o.url.substr(0, colon);
  const auto port = journal::parse_canonical_decimal(o.url.substr(colon + 1));
  if (!port || *port > 65535) return fail(fmt::format("--url {}: the port is not a number from 0 to 65535", o.url));
  so.port = static_cast<uint16_t>(*port);
  so.threads = 1;
  if (o.log_keys.empty()) return fail("--log-key: at least one log's verifier key (glassbook checkpoint prints it)");

  journal::WitnessOptions wo;
  for (const std::string& k : o.log_keys) {
    auto v = journal::parse_verifier_key(k);
    if (!v) return fail("--log-key: " + v.status().message());
    wo.logs.push_back(std::move(v).value());
  }
  auto key = load_role_key(o.key_file, o.passphrase, "witness");
  if (!key) return fail(fmt::format("--key {}: {}", o.key_file, key.status().message()));
  wo.key = std::move(key).value();
  wo.name = o.name.empty() ? fmt::format("glassbook-witness/{}", crypto::to_hex(wo.key.public_key()).substr(0, 8)) : o.name;
  wo.state_dir = o.state_dir;
  std::error_code ec;
  std::filesystem::create_directories(o.state_dir, ec);
  if (ec) return fail(fmt::format("cannot create {}: {}", o.state_dir, ec.message()));
  auto witness = journal::Witness::open(std::move(wo));
  if (!witness) return fail(witness.status().to_string());

  auto server = WitnessServer::start(**witness, so, [](const std::string& alarm) {
    fmt::print(stderr, "{}", alarm);
    std::fflush(stderr);
  });
  if (!server) return fail(server.status().to_string());
  const std::string url = fmt::format("http://{}:{}", so.address, (*server)->port());
  const std::string key_text = journal::encode_cosigner_key((*witness)->key());
  fmt::print("witness {} listening on {}\nwitness key: {}\n", (*witness)->key().name, url, key_text);
  for (const std::string& k : o.log_keys) {
    auto v = journal::parse_verifier_key(k);
    fmt::print("  log {}: last cosigned size {}\n", v->name, (*witness)->cosigned_size(v->name));
  }
  if (const std::string earlier = (*witness)->alarms(); !earlier.empty())
    fmt::print(stderr, "witness: {} holds alarms from an earlier run:\n{}", journal::kWitnessAlarmFile, earlier);
  std::fflush(stdout);
  if (!o.ready_file.empty()) {
    const std::string tmp = o.ready_file + ".tmp";
    std::ofstream(tmp, std::ios::trunc) << url << " " << key_text << "\n";
    std::filesystem::rename(tmp, o.ready_file, ec);
    if (ec) return fail(fmt::format("cannot write {}: {}", o.ready_file, ec.message()));
  }

  wait_for_stop(o.seconds);
  (*server)->stop();
  const std::string alarms = (*witness)->alarms();
  if (!alarms.empty()) {
    fmt::print(stderr, "witness: stopped with an alarm raised (see {}/{})\n", o.state_dir, journal::kWitnessAlarmFile);
    return 3;
  }
  fmt::print("witness stopped\n");
  return 0;
}

}  // namespace glassbook::app
