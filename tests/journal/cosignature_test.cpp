// Witness cosignatures against the tlog-cosignature/v1 rules: key id, signed message, timestamp, verification.
#include "journal/cosignature.h"

#include <gtest/gtest.h>

#include <string>

#include "crypto/sha256.h"
#include "journal/checkpoint.h"

namespace glassbook::journal {
namespace {

constexpr std::string_view kBody = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
constexpr uint64_t kTime = 1679315147;  // the spec's example time

crypto::KeyPair witness_pair() { return crypto::KeyPair::from_seed(crypto::seed_from_label("witness w1")); }
crypto::KeyPair log_pair() { return crypto::KeyPair::from_seed(crypto::seed_from_label("log")); }
CosignerKey w1() { return *cosigner_key("witness.example/w1", witness_pair().public_key()); }

// The log's signed note over kBody.
std::string log_note() { return *sign_note(kBody, "example.com/behind-the-sofa", log_pair()); }

std::string decoded_line(const std::string& line) {
  const size_t space = line.rfind(' ');
  return *crypto::base64_decode(line.substr(space + 1, line.size() - space - 2));
}

TEST(Cosignature, KeyIdIsSha256OfNameNewlineType4AndKey) {
  const auto pk = witness_pair().public_key();
  crypto::Sha256 h;
  h.update(std::string_view("witness.example/w1\n\x04", 20));
  h.update(pk.data(), pk.size());
  const crypto::Digest d = h.finish();
  const uint32_t expected = uint32_t{d[0]} << 24 | uint32_t{d[1]} << 16 | uint32_t{d[2]} << 8 | d[3];
  EXPECT_EQ(cosigner_key_id("witness.example/w1", pk), expected);
  // The log's id for the same name and key uses type 0x01, so the two never collide.
  EXPECT_NE(cosigner_key_id("witness.example/w1", pk), note_key_id("witness.example/w1", pk));
}

TEST(Cosignature, LineHoldsKeyIdBigEndianTimestampAndSignatureOverTheSpecMessage) {
  auto line = cosign_checkpoint(kBody, kTime, "witness.example/w1", witness_pair());
  ASSERT_TRUE(line.is_ok()) << line.status().message();
  ASSERT_TRUE(line->starts_with("\xE2\x80\x94 witness.example/w1 "));
  const std::string raw = decoded_line(*line);
  ASSERT_EQ(raw.size(), 4u + 8u + 64u);
  const uint32_t id = w1().key_id;
  EXPECT_EQ(raw.substr(0, 4), std::string({static_cast<char>(id >> 24), static_cast<char>(id >> 16),
                                           static_cast<char>(id >> 8), static_cast<char>(id)}));
  // 1679315147 = 0x641850CB, as the spec's example line carries it: AAAAAGQYUMs after the key id.
  EXPECT_EQ(raw.substr(4, 8), std::string("\x00\x00\x00\x00\x64\x18\x50\xCB", 8));
  crypto::Signature sig{};
  std::copy(raw.begin() + 12, raw.end(), sig.begin());
  const std::string message = "cosignature/v1\ntime 1679315147\n" + std::string(kBody);
  EXPECT_EQ(cosigned_message(kBody, kTime), message);
  EXPECT_TRUE(crypto::verify(witness_pair().public_key(), message, sig));
}

TEST(Cosignature, VerifiesOnTheLogsNoteAndIgnoresOtherKeys) {
  auto line = cosign_checkpoint(kBody, kTime, "witness.example/w1", witness_pair());
  auto note = add_signature_lines(log_note(), *line);
  ASSERT_TRUE(note.is_ok()) << note.status().message();
  const CosignerKey keys[] = {w1()};
  auto got = verify_cosignatures(*note, keys);
  ASSERT_TRUE(got.is_ok()) << got.status().message();
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].timestamp, kTime);
  // The log's own signature still verifies on the cosigned note.
  EXPECT_TRUE(open_note(*note, *note_verifier("example.com/behind-the-sofa", log_pair().public_key())).is_ok());
  // Without a cosignature, none counts.
  auto none = verify_cosignatures(log_note(), keys);
  ASSERT_TRUE(none.is_ok());
  EXPECT_TRUE(none->empty());
  // Adding the same line twice keeps one.
  EXPECT_EQ(*add_signature_lines(*note, *line), *note);
}

TEST(Cosignature, AlteredTimestampOrBodyOrWrongKeyIsRefused) {
  const std::string line = *cosign_checkpoint(kBody, kTime, "witness.example/w1", witness_pair());
  const CosignerKey keys[] = {w1()};
  // Another time in the same line: the signature no longer covers it.
  std::string raw = decoded_line(line);
  raw[11] ^= 1;
  const std::string forged_time = "\xE2\x80\x94 witness.example/w1 " +
                                  crypto::base64_encode({reinterpret_cast<const uint8_t*>(raw.data()), raw.size()}) + "\n";
  auto a = verify_cosignatures(*add_signature_lines(log_note(), forged_time), keys);
  EXPECT_EQ(a.status().code(), Error::InvalidSignature);
  // The cosignature of another checkpoint moved onto this one.
  const std::string other_body = "example.com/behind-the-sofa\n20852164\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
  const std::string moved = *cosign_checkpoint(other_body, kTime, "witness.example/w1", witness_pair());
  auto b = verify_cosignatures(*add_signature_lines(log_note(), moved), keys);
  EXPECT_EQ(b.status().code(), Error::InvalidSignature);
  // Same name, another key: its key id differs, so the line is not this witness's and does not count.
  const std::string impostor = *cosign_checkpoint(kBody, kTime, "witness.example/w1",
                                                  crypto::KeyPair::from_seed(crypto::seed_from_label("impostor")));
  auto c = verify_cosignatures(*add_signature_lines(log_note(), impostor), keys);
  ASSERT_TRUE(c.is_ok());
  EXPECT_TRUE(c->empty());
}

TEST(Cosignature, TimestampAbove2To63IsRefused) {
  EXPECT_FALSE(cosign_checkpoint(kBody, kMaxCosignatureTimestamp + 1, "w", witness_pair()).is_ok());
  EXPECT_TRUE(cosign_checkpoint(kBody, kMaxCosignatureTimestamp, "w", witness_pair()).is_ok());
  // A line whose timestamp has the top bit set is refused on verification too.
  std::string raw = decoded_line(*cosign_checkpoint(kBody, kTime, "witness.example/w1", witness_pair()));
  raw[4] = '\x80';
  const std::string line = "\xE2\x80\x94 witness.example/w1 " +
                           crypto::base64_encode({reinterpret_cast<const uint8_t*>(raw.data()), raw.size()}) + "\n";
  const CosignerKey keys[] = {w1()};
  auto got = verify_cosignatures(*add_signature_lines(log_note(), line), keys);
  EXPECT_EQ(got.status().code(), Error::InvalidSignature);
  EXPECT_NE(got.status().message().find("2^63"), std::string::npos);
}

TEST(Cosignature, KeyTextRoundTripsAndRefusesALogKey) {
  const CosignerKey k = w1();
  const std::string text = encode_cosigner_key(k);
  auto back = parse_cosigner_key(text);
  ASSERT_TRUE(back.is_ok()) << back.status().message();
  EXPECT_EQ(*back, k);
  const std::string log_key = encode_verifier_key(*note_verifier("witness.example/w1", k.key));
  auto refused = parse_cosigner_key(log_key);
  ASSERT_FALSE(refused.is_ok());
  EXPECT_NE(refused.status().message().find("log's key"), std::string::npos);
  std::string wrong_id = text;
  wrong_id[wrong_id.find('+') + 1] = wrong_id[wrong_id.find('+') + 1] == '0' ? '1' : '0';
  EXPECT_FALSE(parse_cosigner_key(wrong_id).is_ok());
  EXPECT_FALSE(parse_cosigner_key("no-plus").is_ok());
  EXPECT_FALSE(cosigner_key("has space", k.key).is_ok());
}

}  // namespace
}  // namespace glassbook::journal
