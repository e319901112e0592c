// The export behind `glassbook claims transfers`: an estate's transfer-of-claim records, replayed from
// a journal to its newest signed checkpoint, in CSV and JSON, parsed back.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <sstream>
#include <string>
#include <vector>

#include "api/claim_transfers_export.h"
#include "claims_rig.h"
#include "journal/checkpoint.h"

namespace glassbook::api {
namespace {

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, sep)) out.push_back(field);
  return out;
}

class ClaimsExport : public ::testing::Test {
 protected:
  ClaimsExport() {
    rig.node_->stop();  // its last checkpoint covers every record
  }
  testing::ClaimsRig rig;
};

TEST_F(ClaimsExport, TheCheckpointCoversEveryRecordAndItsStateRootIsReproduced) {
  auto x = collect_claim_transfers(rig.dir_.path(), 0, 0);
  ASSERT_TRUE(x.is_ok()) << x.status().to_string();
  EXPECT_EQ(x->checkpoint.tree_size, rig.journaled());
  ASSERT_EQ(x->transfers.size(), 2u);
  EXPECT_EQ(x->transfers[0].seller, rig.alice_id_);
  EXPECT_EQ(x->transfers[0].buyer, rig.bob_id_);
  EXPECT_EQ(x->transfers[0].units, 100'00);
  EXPECT_EQ(x->transfers[0].quote_amount, 35'000'000);
  EXPECT_EQ(x->transfers[1].trade_id, 2u);
  // From the second record's seq only the second; the other estate has none.
  auto later = collect_claim_transfers(rig.dir_.path(), 0, x->transfers[1].seq);
  ASSERT_TRUE(later.is_ok());
  ASSERT_EQ(later->transfers.size(), 1u);
  EXPECT_EQ(later->transfers[0], x->transfers[1]);
  auto celsius = collect_claim_transfers(rig.dir_.path(), 1, 0);
  ASSERT_TRUE(celsius.is_ok());
  EXPECT_TRUE(celsius->transfers.empty());
  auto unknown = collect_claim_transfers(rig.dir_.path(), 9, 0);
  ASSERT_FALSE(unknown.is_ok());
  EXPECT_NE(unknown.status().message().find("unknown estate 9"), std::string::npos) << unknown.status().to_string();
}

TEST_F(ClaimsExport, CsvParsesBackToTheRecords) {
  auto x = collect_claim_transfers(rig.dir_.path(), 0, 0);
  ASSERT_TRUE(x.is_ok()) << x.status().to_string();
  std::istringstream in(claim_transfers_csv(*x));
  std::string line;
  std::vector<std::string> comments;
  std::vector<std::vector<std::string>> rows;
  while (std::getline(in, line)) {
    if (line.starts_with("#")) comments.push_back(line);
    else rows.push_back(split(line, ','));
  }
  ASSERT_EQ(comments.size(), 2u);
  EXPECT_EQ(comments[0], "# estate 0 FTX Trading Ltd.");
  EXPECT_NE(comments[1].find(" tree_size " + std::to_string(x->checkpoint.tree_size) + " "), std::string::npos) << comments[1];
  EXPECT_NE(comments[1].find("state_root " + crypto::to_hex(x->checkpoint.state_root)), std::string::npos) << comments[1];
  ASSERT_EQ(rows.size(), 3u);
  const std::vector<std::string>& header = rows[0];
  ASSERT_EQ(header.size(), 13u);
  EXPECT_EQ(header[0], "seq");
  EXPECT_EQ(header[5], "seller");
  for (size_t i = 1; i < rows.size(); ++i) {
    const engine::ClaimTransfer& t = x->transfers[i - 1];
    const std::vector<std::string>& row = rows[i];
    ASSERT_EQ(row.size(), 13u);
    EXPECT_EQ(std::stoull(row[0]), t.seq);
    EXPECT_EQ(std::stoll(row[1]), t.timestamp);
    EXPECT_EQ(std::stoull(row[2]), t.trade_id);
    EXPECT_EQ(row[3], "0");
    EXPECT_EQ(row[4], "FTXCLAIM_USDC");
    EXPECT_EQ(std::stoul(row[5]), rig.alice_id_);
    EXPECT_EQ(std::stoul(row[6]), rig.bob_id_);
    EXPECT_EQ(row[10], "FTXCLAIM");
    EXPECT_EQ(row[11], "USDC");
    EXPECT_EQ(row[12], "Bid");
  }
  EXPECT_EQ(rows[1][7], "100.00");
  EXPECT_EQ(rows[1][8], "0.350000");
  EXPECT_EQ(rows[1][9], "35.000000");
  EXPECT_EQ(rows[2][7], "50.00");
  EXPECT_EQ(rows[2][9], "17.000000");
}

TEST_F(ClaimsExport, JsonParsesBackAndItsNoteVerifiesWithTheLogKey) {
  auto x = collect_claim_transfers(rig.dir_.path(), 0, 0);
  ASSERT_TRUE(x.is_ok()) << x.status().to_string();
  const std::string text = claim_transfers_json(*x);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(text).get(doc), simdjson::SUCCESS) << text;
  EXPECT_EQ(std::string_view(doc["estateName"]), "FTX Trading Ltd.");
  simdjson::dom::element cp = doc["checkpoint"];
  EXPECT_EQ(uint64_t(cp["treeSize"]), rig.journaled());
  // The note in the export is the signed checkpoint itself: it verifies with the exchange's log key.
  const std::string note{std::string_view(cp["note"])};
  auto verifier = journal::note_verifier(x->checkpoint.origin, rig.log_.public_key());
  ASSERT_TRUE(verifier.is_ok());
  auto verified = journal::verify_checkpoint(note, *verifier);
  ASSERT_TRUE(verified.is_ok()) << verified.status().to_string();
  EXPECT_EQ(crypto::to_hex(verified->state_root), std::string_view(cp["stateRoot"]));
  simdjson::dom::array transfers = doc["transfers"];
  ASSERT_EQ(transfers.size(), 2u);
  size_t i = 0;
  for (simdjson::dom::element t : transfers) {
    const engine::ClaimTransfer& want = x->transfers[i++];
    EXPECT_EQ(uint64_t(t["seq"]), want.seq);
    EXPECT_LT(want.seq, uint64_t(cp["treeSize"])) << "covered by the checkpoint";
    EXPECT_EQ(uint64_t(t["tradeId"]), want.trade_id);
    EXPECT_EQ(uint64_t(t["seller"]), want.seller);
    EXPECT_EQ(uint64_t(t["buyer"]), want.buyer);
  }
  EXPECT_EQ(std::string_view(transfers.at(1)["units"]), "50.00");
  EXPECT_EQ(std::string_view(transfers.at(1)["price"]), "0.340000");
}

}  // namespace
}  // namespace glassbook::api
