// Key files: a sealed key opens with its passphrase only; truncation, tampering, a wrong passphrase
// and a file others may read are refused with a clear message that never holds the secret.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "crypto/key_file.h"
#include "crypto/sha256.h"

namespace glassbook::crypto {
namespace {

const Seed kSeed = seed_from_label("test/key-file/operator");

std::string sealed_once() {
  static const std::string sealed = seal_key("operator", kSeed, "correct horse", KdfCost::Interactive).value();
  return sealed;
}

// Neither the seed (raw, base64 or hex) nor the passphrase appears in a message.
void expect_no_secret(const std::string& message) {
  EXPECT_EQ(message.find(base64_encode(kSeed)), std::string::npos) << message;
  EXPECT_EQ(message.find(to_hex(kSeed)), std::string::npos) << message;
  EXPECT_EQ(message.find(std::string(kSeed.begin(), kSeed.end())), std::string::npos);
  EXPECT_EQ(message.find("correct horse"), std::string::npos) << message;
}

TEST(KeyFile, OpensWithItsPassphraseAndNamesRoleAndKey) {
  const std::string sealed = sealed_once();
  EXPECT_EQ(sealed.find(std::string(kSeed.begin(), kSeed.end())), std::string::npos) << "the seed is stored in clear";
  KeyFileInfo info;
  auto kp = open_key(sealed, "correct horse", &info);
  ASSERT_TRUE(kp.is_ok()) << kp.status().to_string();
  EXPECT_EQ(kp->public_key(), KeyPair::from_seed(kSeed).public_key());
  EXPECT_EQ(info.role, "operator");
  EXPECT_EQ(info.public_key, kp->public_key());
  auto peek = key_file_info(sealed);
  ASSERT_TRUE(peek.is_ok());
  EXPECT_EQ(peek->public_key, kp->public_key());
}

TEST(KeyFile, WrongPassphraseIsRefused) {
  auto kp = open_key(sealed_once(), "correct horse!");
  ASSERT_FALSE(kp.is_ok());
  EXPECT_EQ(kp.code(), Error::Unauthorized);
  EXPECT_EQ(kp.status().message(), "wrong passphrase, or the key file was altered");
  expect_no_secret(kp.status().message());
}

TEST(KeyFile, TruncatedFileIsRefusedAsTruncated) {
  const std::string sealed = sealed_once();
  for (size_t cut : {size_t{0}, size_t{5}, kKeyFileMagic.size() + 10, sealed.size() - 60, sealed.size() - 1}) {
    auto kp = open_key(sealed.substr(0, cut), "correct horse");
    ASSERT_FALSE(kp.is_ok()) << cut;
    EXPECT_NE(kp.status().message().find(cut < kKeyFileMagic.size() ? "not a glassbook key file" : "truncated"), std::string::npos)
        << cut << ": " << kp.status().message();
    expect_no_secret(kp.status().message());
  }
}

TEST(KeyFile, AlteredRoleOrKeyIsRefused) {
  std::string sealed = sealed_once();
  // The role's first letter sits right after the magic and its u32 length.
  sealed[kKeyFileMagic.size() + 4] = 'x';
  auto kp = open_key(sealed, "correct horse");
  ASSERT_FALSE(kp.is_ok());
  EXPECT_EQ(kp.code(), Error::Unauthorized);
}

TEST(KeyFile, RefusesEmptyPassphraseAndBadRole) {
  EXPECT_FALSE(seal_key("operator", kSeed, "", KdfCost::Interactive).is_ok());
  EXPECT_FALSE(seal_key("", kSeed, "pass", KdfCost::Interactive).is_ok());
  EXPECT_FALSE(seal_key(std::string(kMaxRoleName + 1, 'r'), kSeed, "pass", KdfCost::Interactive).is_ok());
}

class KeyFileOnDisk : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("gb-key-file-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(KeyFileOnDisk, WrittenWithMode0600AndNeverReplaced) {
  const std::string path = (dir_ / "op.key").string();
  ASSERT_TRUE(write_key_file(path, sealed_once()).is_ok());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  auto again = write_key_file(path, "other");
  ASSERT_FALSE(again.is_ok());
  EXPECT_NE(again.message().find("already exists"), std::string::npos);
  auto bytes = read_key_file(path);
  ASSERT_TRUE(bytes.is_ok()) << bytes.status().to_string();
  EXPECT_EQ(*bytes, sealed_once());
}

TEST_F(KeyFileOnDisk, FileOthersMayReadIsRefused) {
  const std::string path = (dir_ / "loose.key").string();
  ASSERT_TRUE(write_key_file(path, sealed_once()).is_ok());
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  auto bytes = read_key_file(path);
  ASSERT_FALSE(bytes.is_ok());
  EXPECT_EQ(bytes.code(), Error::Unauthorized);
  EXPECT_NE(bytes.status().message().find("has mode 0640"), std::string::npos) << bytes.status().message();
  ASSERT_EQ(::chmod(path.c_str(), 0604), 0);
  EXPECT_FALSE(read_key_file(path).is_ok());
  ASSERT_EQ(::chmod(path.c_str(), 0400), 0);
  EXPECT_TRUE(read_key_file(path).is_ok());
}

TEST_F(KeyFileOnDisk, MissingFileIsAClearError) {
  auto bytes = read_key_file((dir_ / "none.key").string());
  ASSERT_FALSE(bytes.is_ok());
  EXPECT_NE(bytes.status().message().find("cannot open"), std::string::npos);
}

}  // namespace
}  // namespace glassbook::crypto
