// Ethereum's primitives: Keccak-256, EIP-55 addresses, secp256k1 keys, EIP-1559 transactions (the
// ethereumjs EIP-1559 vector, byte for byte), quantities and the int64 limit of our amounts.
#include "custody/eth_tx.h"

#include <gtest/gtest.h>

namespace glassbook::custody::eth {
namespace {

Bytes hex(std::string_view text) { return parse_data(text).value(); }

TEST(EthKeccak, KnownDigests) {
  EXPECT_EQ(data_hex(keccak256(std::string_view(""))), "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  // The ERC-20 Transfer event's topic and the transfer(address,uint256) selector.
  EXPECT_EQ(data_hex(keccak256(std::string_view("Transfer(address,address,uint256)"))),
            "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
  EXPECT_EQ(data_hex(keccak256(std::string_view("transfer(address,uint256)"))).substr(0, 10), "0xa9059cbb");
}

TEST(EthAddress, Eip55Examples) {
  for (const char* text : {"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
                           "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"}) {
    auto a = parse_address(text);
    ASSERT_TRUE(a) << a.status().to_string();
    EXPECT_EQ(checksum_address(*a), text);
    std::string lower = text;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(lower_address(*a), lower);
    EXPECT_TRUE(parse_address(lower));  // one case: no checksum to check
  }
  // One letter's case changed: the checksum catches it.
  auto typo = parse_address("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD");
  ASSERT_FALSE(typo);
  EXPECT_NE(typo.status().message().find("EIP-55 checksum"), std::string::npos);
  EXPECT_FALSE(parse_address("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA"));   // too short
  EXPECT_FALSE(parse_address("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAgd"));  // not hex
}

TEST(EthKey, AddressOfAKnownKey) {
  auto key = EthKey::from_secret(hex("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"));
  ASSERT_TRUE(key);
  EXPECT_EQ(checksum_address(key->address()), "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23");
  EXPECT_FALSE(EthKey::from_secret(Bytes(32, 0)));      // zero
  EXPECT_FALSE(EthKey::from_secret(Bytes(32, 0xff)));   // above the group order
  EXPECT_FALSE(EthKey::from_secret(Bytes(31, 1)));      // short
}

// ethereumjs' packages/tx/test/json/eip1559.json, vector 0.
Eip1559Transaction ethereumjs_vector() {
  Eip1559Transaction tx;
  tx.chain_id = 7822;
  tx.nonce = 819;
  tx.max_priority_fee_per_gas = 75853;
  tx.max_fee_per_gas = 121212;
  tx.gas_limit = 35552;
  tx.to = parse_address("0x000000000000000000000000000000000000aaaa").value();
  tx.value = from_uint64(43203529);
  return tx;
}
constexpr std::string_view kVectorRaw =
    "0x02f870821e8e8203338301284d8301d97c828ae094000000000000000000000000000000000000aaaa8402933bc980c080a0d067f2167008c59219652f91cbf8788dbca5f771f6e91e2b7657e85b78b472e0a01d305af9fe81fdba43f0dfcd400ed24dcace0a7e30d4e85701dcaaf484cd079e";

TEST(EthTx, SignsTheEthereumjsVectorByteForByte) {
  auto key = EthKey::from_secret(hex("0x8f2a55949038a9610f50fb23b5883af3b4ecb3c3bb792cbcefbd1542c692be63"));
  ASSERT_TRUE(key);
  const SignedTransaction signed_tx = sign_transaction(ethereumjs_vector(), *key);
  EXPECT_EQ(data_hex(signed_tx.raw), kVectorRaw);
  EXPECT_EQ(data_hex(signed_tx.hash), "0xa3bf78ff247cad934aa5fb13e05f11e59c93511523ff8a622e59c3a34700e5c8");

  auto decoded = decode_signed(signed_tx.raw);
  ASSERT_TRUE(decoded) << decoded.status().to_string();
  EXPECT_EQ(decoded->signed_tx.tx, ethereumjs_vector());
  EXPECT_EQ(decoded->sender, key->address());
  EXPECT_EQ(decoded->signed_tx.hash, signed_tx.hash);
}

TEST(EthTx, AnAlteredSignatureOrFieldRecoversAnotherSenderOrNone) {
  auto key = EthKey::from_secret(hex("0x8f2a55949038a9610f50fb23b5883af3b4ecb3c3bb792cbcefbd1542c692be63")).value();
  const SignedTransaction good = sign_transaction(ethereumjs_vector(), key);
  RecoverableSignature bad_sig = good.signature;
  bad_sig.s[31] ^= 1;
  auto altered = decode_signed(encode_signed(good.tx, bad_sig));
  EXPECT_TRUE(!altered || altered->sender != key.address());
  Eip1559Transaction other_chain = good.tx;
  other_chain.chain_id = 1;  // the same signature replayed on another chain
  auto replayed = decode_signed(encode_signed(other_chain, good.signature));
  EXPECT_TRUE(!replayed || replayed->sender != key.address());
  RecoverableSignature zero{};
  auto none = decode_signed(encode_signed(good.tx, zero));
  ASSERT_FALSE(none);
  EXPECT_EQ(none.code(), Error::InvalidSignature);
}

TEST(EthTx, DecodingRefusesWhatIsNotACanonicalTransfer) {
  Bytes raw = hex(kVectorRaw);
  raw[0] = 0x01;
  EXPECT_FALSE(decode_signed(raw));  // another type
  Bytes trailing = hex(kVectorRaw);
  trailing.push_back(0);
  EXPECT_FALSE(decode_signed(trailing));
  EXPECT_FALSE(decode_signed(Bytes{0x02, 0xc0}));  // no fields
}

TEST(EthHex, QuantitiesAndTheInt64Limit) {
  EXPECT_EQ(parse_quantity("0x0").value(), 0u);
  EXPECT_EQ(parse_quantity("0x1f").value(), 31u);
  EXPECT_EQ(quantity_hex(0), "0x0");
  EXPECT_EQ(quantity_hex(4096), "0x1000");
  EXPECT_FALSE(parse_quantity("0x"));
  EXPECT_FALSE(parse_quantity("12"));
  EXPECT_FALSE(parse_quantity("0xg1"));
  EXPECT_EQ(parse_quantity("0x10000000000000000").code(), Error::Overflow);
  EXPECT_EQ(to_int64(parse_quantity256("0x7fffffffffffffff").value()).value(), INT64_MAX);
  auto too_big = to_int64(parse_quantity256("0x8000000000000000").value());
  ASSERT_FALSE(too_big);
  EXPECT_EQ(too_big.code(), Error::Overflow);
  EXPECT_NE(too_big.status().message().find("9223372036854775808 does not fit our int64 units"), std::string::npos);
  // One ether (10^18 wei) fits our int64 units; ten ether (10^19) does not.
  EXPECT_TRUE(to_int64(parse_quantity256("0xde0b6b3a7640000").value()));
  EXPECT_FALSE(to_int64(parse_quantity256("0x8ac7230489e80000").value()));
  EXPECT_EQ(decimal(parse_word("0x" + std::string(63, '0') + "a").value()), "10");
  EXPECT_EQ(decimal(Uint256{}), "0");
  EXPECT_FALSE(parse_word("0x0a"));
  EXPECT_EQ(data_hex(hex("0xABcd")), "0xabcd");
  EXPECT_FALSE(parse_data("0xabc"));
}

}  // namespace
}  // namespace glassbook::custody::eth
