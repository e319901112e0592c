// The web interface's static files: the walk of the root at load, content types, and lookup by path.
#include "api/static_files.h"

#include <fmt/format.h>

#include <fstream>
#include <iterator>

namespace glassbook::api {
namespace {

bool hidden(const std::filesystem::path& relative) {
  for (const auto& part : relative)
    if (part.string().starts_with('.')) return true;
  return false;
}

// The bundler names assets by a hash of their content ("app-3F2AKQ7B.js"): such a name never
// changes meaning, so a browser may keep it; index.html (which names them) is asked for every time.
std::string cache_control_for(std::string_view path) {
  if (path.starts_with("/assets/")) return "public, max-age=31536000, immutable";
  return "no-cache";
}

}  // namespace

std::string_view StaticFiles::content_type(std::string_view name) {
  struct Type {
    std::string_view extension, type;
  };
  static constexpr Type kTypes[] = {
      {".html", "text/html; charset=utf-8"},   {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},           {".map", "application/json"},
      {".svg", "image/svg+xml"},               {".png", "image/png"},
      {".ico", "image/x-icon"},                {".txt", "text/plain; charset=utf-8"},
      {".woff2", "font/woff2"},
  };
  for (const Type& t : kTypes)
    if (name.ends_with(t.extension)) return t.type;
  return "application/octet-stream";
}

Result<StaticFiles> StaticFiles::load(const std::filesystem::path& root, StaticFilesLimits limits) {
  std::error_code ec;
  if (!std::filesystem::is_directory(root, ec)) return Status(Error::Io, fmt::format("web: {} is not a directory", root.string()));
  StaticFiles out;
  size_t total = 0;
  std::filesystem::recursive_directory_iterator it(root, ec), end;
  if (ec) return Status(Error::Io, fmt::format("web: cannot read {}: {}", root.string(), ec.message()));
  for (; it != end; it.increment(ec)) {
    if (ec) return Status(Error::Io, fmt::format("web: cannot read {}: {}", root.string(), ec.message()));
    const auto status = it->symlink_status(ec);
    if (ec || !std::filesystem::is_regular_file(status)) continue;  // directories are walked; links are never followed
    const std::filesystem::path relative = it->path().lexically_relative(root);
    if (relative.empty() || hidden(relative)) continue;
    if (out.files_.size() == limits.max_files)
      return Status(Error::InvalidArgument, fmt::format("web: more than {} files under {}", limits.max_files, root.string()));
    std::ifstream in(it->path(), std::ios::binary);
    std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in && !in.eof()) return Status(Error::Io, fmt::format("web: cannot read {}", it->path().string()));
    total += body.size();
    if (total > limits.max_total_bytes)
      return Status(Error::InvalidArgument, fmt::format("web: the files under {} exceed {} bytes", root.string(), limits.max_total_bytes));
    // Appended, not `"/" + ...`: GCC 12 at -O3 warns falsely (-Wrestrict) on operator+(const char*, string&&).
    std::string path = "/";
    path += relative.generic_string();
    HttpResponse r{200, std::move(body), std::string(content_type(path))};
    r.cache_control = cache_control_for(path);
    out.files_.emplace(path, std::move(r));
  }
  if (!out.files_.contains("/index.html")) return Status(Error::Io, fmt::format("web: no index.html in {}", root.string()));
  return out;
}

const HttpResponse* StaticFiles::find(std::string_view path) const {
  if (path == "/") path = "/index.html";
  auto it = files_.find(path);
  return it == files_.end() ? nullptr : &it->second;
}

}  // namespace glassbook::api
