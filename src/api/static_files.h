// The web interface's static files: read once from a directory, served from memory by exact path.
#pragma once
#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "api/http_types.h"
#include "core/result.h"

namespace glassbook::api {

struct StaticFilesLimits {
  size_t max_files = 512;
  size_t max_total_bytes = size_t{64} << 20;  // the built interface is 221 KB (web/dist); anything near this is a mistake
};

// Every regular file under a root directory, loaded at start-up and answered by its path relative to
// the root ("/assets/app-3F2A.js"); "/" is "/index.html". A request can only name a file that was
// found by walking the root (symbolic links and hidden files are skipped), so no path, however
// written (.., %2e%2e, backslashes), reaches anything else: there is no file system access after load.
class StaticFiles {
 public:
  static Result<StaticFiles> load(const std::filesystem::path& root, StaticFilesLimits limits = {});

  // The file at `path` (the request's path, without its query), or nullptr.
  const HttpResponse* find(std::string_view path) const;
  size_t size() const { return files_.size(); }

  // The Content-Type of a file name by its extension (application/octet-stream when unknown).
  static std::string_view content_type(std::string_view name);

 private:
  std::map<std::string, HttpResponse, std::less<>> files_;
};

}  // namespace glassbook::api
