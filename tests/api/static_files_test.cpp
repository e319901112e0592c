// StaticFiles: the web interface's files served by exact path with a content type per extension; no
// path (.., encoded dots, backslashes, links, hidden files) reaches anything outside the root.
#include "api/static_files.h"

#include <gtest/gtest.h>

#include <fstream>

#include "../journal/journal_test_util.h"

namespace glassbook::api {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& p, std::string_view text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

// <tmp>/secret.txt beside <tmp>/web/{index.html, assets/app-AB12.js, assets/app-AB12.css, ...}.
class StaticFilesTest : public ::testing::Test {
 protected:
  StaticFilesTest() {
    write(outside() / "secret.txt", "do not serve");
    write(root() / "index.html", "<!doctype html><title>Glassbook</title>");
    write(root() / "assets" / "app-AB12.js", "console.log(1)");
    write(root() / "assets" / "app-AB12.css", "body{}");
    write(root() / "favicon.svg", "<svg/>");
    write(root() / "data.bin", "\x01\x02");
    write(root() / ".env", "hidden");
    fs::create_symlink(outside() / "secret.txt", root() / "link.txt");
    fs::create_directory_symlink(outside(), root() / "up");
  }
  fs::path outside() const { return dir_.path(); }
  fs::path root() const { return fs::path(dir_.path()) / "web"; }

  journal::testing::TempDir dir_;
};

TEST_F(StaticFilesTest, ServesEachFileWithTheContentTypeOfItsExtension) {
  auto files = StaticFiles::load(root());
  ASSERT_TRUE(files) << files.status().message();
  struct Case {
    std::string_view path, body, type;
  } cases[] = {
      {"/", "<!doctype html><title>Glassbook</title>", "text/html; charset=utf-8"},
      {"/index.html", "<!doctype html><title>Glassbook</title>", "text/html; charset=utf-8"},
      {"/assets/app-AB12.js", "console.log(1)", "text/javascript; charset=utf-8"},
      {"/assets/app-AB12.css", "body{}", "text/css; charset=utf-8"},
      {"/favicon.svg", "<svg/>", "image/svg+xml"},
      {"/data.bin", "\x01\x02", "application/octet-stream"},
  };
  for (const Case& c : cases) {
    const HttpResponse* r = files->find(c.path);
    ASSERT_NE(r, nullptr) << c.path;
    EXPECT_EQ(r->status, 200u);
    EXPECT_EQ(r->body, c.body) << c.path;
    EXPECT_EQ(r->content_type, c.type) << c.path;
  }
  EXPECT_EQ(files->size(), 5u);  // index, js, css, svg, bin: not the hidden file nor the links
}

TEST_F(StaticFilesTest, HashedAssetsMayBeCachedAndTheIndexIsAskedForEveryTime) {
  auto files = StaticFiles::load(root());
  ASSERT_TRUE(files);
  EXPECT_EQ(files->find("/assets/app-AB12.js")->cache_control, "public, max-age=31536000, immutable");
  EXPECT_EQ(files->find("/")->cache_control, "no-cache");
}

TEST_F(StaticFilesTest, NoPathReachesOutsideTheRootOrAHiddenFileOrALink) {
  auto files = StaticFiles::load(root());
  ASSERT_TRUE(files);
  for (std::string_view path : {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt",
                                "/assets/..\\..\\secret.txt", "/up/secret.txt", "/link.txt", "/.env", "//etc/passwd",
                                "/etc/passwd", "", "index.html", "/assets/", "/assets/./app-AB12.js", "/INDEX.HTML"})
    EXPECT_EQ(files->find(path), nullptr) << path;
}

TEST_F(StaticFilesTest, ADirectoryWithoutAnIndexOrOverTheLimitsIsRefused) {
  auto missing = StaticFiles::load(outside() / "nowhere");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.status().message().find("is not a directory"), std::string::npos);
  auto no_index = StaticFiles::load(root() / "assets");
  ASSERT_FALSE(no_index);
  EXPECT_NE(no_index.status().message().find("no index.html"), std::string::npos);
  auto too_many = StaticFiles::load(root(), StaticFilesLimits{.max_files = 2});
  ASSERT_FALSE(too_many);
  EXPECT_NE(too_many.status().message().find("more than 2 files"), std::string::npos);
  auto too_big = StaticFiles::load(root(), StaticFilesLimits{.max_total_bytes = 10});
  ASSERT_FALSE(too_big);
  EXPECT_NE(too_big.status().message().find("exceed 10 bytes"), std::string::npos);
}

}  // namespace
}  // namespace glassbook::api
