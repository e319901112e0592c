// The web page signs what the gateway checks: web/test/vectors/signing.json (the page's texts, bodies,
// query strings, native command bytes and signatures; web/test/unit checks the page produces them)
// rebuilt here with the gateway's own parameter parsers, signing-text builder and libsodium.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>
#include <sstream>

#include "api/request_params.h"
#include "engine/command.h"
#include "engine/request_text.h"
#include "journal/record.h"

namespace glassbook::api {
namespace {

std::string read_vector(std::string_view name = "signing.json") {
  std::ifstream in(std::string(GLASSBOOK_SOURCE_DIR) + "/web/test/vectors/" + std::string(name));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string b64(std::string_view bytes) { return crypto::base64_encode({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()}); }

TEST(WebSigningVector, ThePagesRequestsAreTheGatewaysSigningTextsAndSignatures) {
  const std::string text = read_vector();
  ASSERT_FALSE(text.empty()) << "web/test/vectors/signing.json is missing";
  simdjson::dom::parser parser;
  simdjson::dom::element v;
  ASSERT_EQ(parser.parse(text).get(v), simdjson::SUCCESS);
  const auto key = crypto::KeyPair::from_seed(crypto::seed_from_label(std::string_view(v["seedLabel"])));
  EXPECT_EQ(crypto::base64_encode(key.public_key()), std::string_view(v["publicKey"]));
  EXPECT_EQ(b64(std::string_view(reinterpret_cast<const char*>(crypto::seed_from_label(std::string_view(v["seedLabel"])).data()), 32)),
            std::string_view(v["seed"]));
  const int64_t ts = int64_t(v["timestamp"]);
  const int64_t window = int64_t(v["window"]);
  size_t checked = 0;
  for (simdjson::dom::element r : simdjson::dom::array(v["requests"])) {
    const std::string_view method = r["method"];
    const std::string_view instruction = r["instruction"];
    Result<Params> params = Params{};
    if (method == "GET") params = params_from_query(std::string_view(r["query"]));
    else if (method != "WS") params = params_from_json(std::string_view(r["body"]));
    ASSERT_TRUE(params) << instruction << ": " << params.status().message();
    const std::string built = engine::build_request_text(instruction, text_params(*params), ts, window);
    EXPECT_EQ(built, std::string_view(r["text"])) << instruction;
    EXPECT_TRUE(engine::parse_request_text(built)) << built;
    EXPECT_EQ(crypto::base64_encode(key.sign(built)), std::string_view(r["signature"])) << instruction;
    ++checked;
  }
  EXPECT_EQ(checked, 7u);
}

TEST(WebSigningVector, ThePagesSignUpAndDepositAreTheEnginesSignedBytes) {
  const std::string text = read_vector();
  simdjson::dom::parser parser;
  simdjson::dom::element v;
  ASSERT_EQ(parser.parse(text).get(v), simdjson::SUCCESS);
  simdjson::dom::array commands = v["commands"];
  ASSERT_EQ(commands.size(), 2u);

  simdjson::dom::element reg = commands.at(0);
  const auto user = crypto::KeyPair::from_seed(crypto::seed_from_label(std::string_view(reg["signerLabel"])));
  const std::string reg_bytes = engine::signing_bytes(engine::RegisterAccount{user.public_key()});
  EXPECT_EQ(b64(reg_bytes), std::string_view(reg["bytes"]));
  EXPECT_EQ(crypto::base64_encode(user.sign(reg_bytes)), std::string_view(reg["signature"]));

  simdjson::dom::element dep = commands.at(1);
  const auto watcher = crypto::KeyPair::from_seed(crypto::seed_from_label(std::string_view(dep["signerLabel"])));
  const engine::Deposit d{static_cast<AccountId>(uint64_t(dep["account"])), static_cast<AssetId>(uint64_t(dep["asset"])),
                          std::stoll(std::string(std::string_view(dep["amount"]))), std::stoull(std::string(std::string_view(dep["depositId"])))};
  const std::string dep_bytes = engine::signing_bytes(d);
  EXPECT_EQ(b64(dep_bytes), std::string_view(dep["bytes"]));
  EXPECT_EQ(crypto::base64_encode(watcher.sign(dep_bytes)), std::string_view(dep["signature"]));
}

// web/test/vectors/record.json: the record the page decodes (lib/journal_record.ts) is what
// journal::encode writes for the same fields, and its leaf hash is record_hash's.
TEST(WebSigningVector, ThePagesJournalRecordIsTheJournalsEncoding) {
  const std::string text = read_vector("record.json");
  ASSERT_FALSE(text.empty()) << "web/test/vectors/record.json is missing";
  simdjson::dom::parser parser;
  simdjson::dom::element v;
  ASSERT_EQ(parser.parse(text).get(v), simdjson::SUCCESS);
  const auto key = crypto::KeyPair::from_seed(crypto::seed_from_label(std::string_view(v["seedLabel"])));
  journal::Record r;
  r.seq = std::stoull(std::string(std::string_view(v["seq"])));
  r.timestamp = std::stoll(std::string(std::string_view(v["timestamp"])));
  r.kind = static_cast<uint8_t>(int64_t(v["kind"]));
  r.signed_bytes = std::string(std::string_view(v["signedText"]));
  r.signer = key.public_key();
  r.signature = key.sign(r.signed_bytes);
  EXPECT_EQ(crypto::base64_encode(r.signature), std::string_view(v["signature"]));
  EXPECT_EQ(crypto::base64_encode(r.signer), std::string_view(v["signer"]));
  r.prev_hash = crypto::sha256(std::string_view("previous record"));
  EXPECT_EQ(crypto::to_hex(r.prev_hash), std::string_view(v["prevHash"]));
  const std::string encoded = journal::encode(r);
  EXPECT_EQ(b64(encoded), std::string_view(v["record"]));
  EXPECT_EQ(crypto::to_hex(journal::record_hash(encoded)), std::string_view(v["leafHash"]));
}

}  // namespace
}  // namespace glassbook::api
