// Ethereum deposit addresses: derived alike every time, one per (account, asset), each the address of
// the key that controls it, in the address book's form.
#include "custody/eth_deposit_address.h"

#include <gtest/gtest.h>

#include <set>

namespace glassbook::custody {
namespace {

TEST(EthDepositAddress, DeterministicDistinctAndTheKeysOwn) {
  const crypto::Seed root = crypto::seed_from_label("test/eth-deposit-root");
  const DepositAddress a = derive_eth_deposit_address(root, 16, "USDC");
  EXPECT_EQ(a, derive_eth_deposit_address(root, 16, "USDC"));
  EXPECT_EQ(a.account, 16u);
  EXPECT_EQ(a.asset, "USDC");
  EXPECT_EQ(a.address, eth::lower_address(eth_deposit_key(root, 16, "USDC").address()).substr(2));
  ASSERT_EQ(a.address.size(), 40u);
  EXPECT_EQ(a.address.find_first_not_of("0123456789abcdef"), std::string::npos);
  std::set<std::string> seen{a.address};
  EXPECT_TRUE(seen.insert(derive_eth_deposit_address(root, 17, "USDC").address).second);
  EXPECT_TRUE(seen.insert(derive_eth_deposit_address(root, 16, "ETH").address).second);
  EXPECT_TRUE(seen.insert(derive_eth_deposit_address(crypto::seed_from_label("test/another-root"), 16, "USDC").address).second);
  // Not the simulated chain's address of the same (account, asset): another key type, another address.
  EXPECT_NE(a.address, derive_deposit_address(root, 16, "USDC").address);
  // The book accepts them as they are written.
  auto book = parse_address_book(format_address_book({a, derive_eth_deposit_address(root, 17, "USDC")}));
  ASSERT_TRUE(book) << book.status().to_string();
  EXPECT_EQ((*book)[0], a);
}

}  // namespace
}  // namespace glassbook::custody
