// The gateway's C2SP tlog-tiles endpoints under /log/: the signed checkpoint (with the witnesses'
// cosignatures when there are), the Merkle tree's hash tiles and the entry bundles of the journal's
// records, with the spec's content types and caching (docs/api.md, "Tiled transparency log").
#include <fmt/format.h>

#include "api/api_error.h"
#include "api/gateway.h"
#include "journal/tile_path.h"

namespace glassbook::api {

namespace {

// A full tile or bundle never changes; a partial one never changes either, but a log may drop it
// once the full one exists (the spec allows it), so it is cached briefly. The checkpoint moves with
// every checkpoint the node signs, so it is revalidated on every fetch.
constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kPartial = "public, max-age=60";
constexpr std::string_view kCheckpoint = "no-cache";

}  // namespace

void Gateway::tlog_get(const HttpRequest& request, Respond& respond) {
  const std::string_view rest = std::string_view(request.path).substr(kLogPrefix.size());
  if (rest == "checkpoint") {
    auto note = options_.cosigned_checkpoint ? options_.cosigned_checkpoint() : std::nullopt;
    if (!note) note = node_.latest_checkpoint();
    if (!note) return respond(error_response("RESOURCE_NOT_FOUND", "no checkpoint yet"));
    return respond(HttpResponse{200, std::move(*note), "text/plain; charset=utf-8", std::string(kCheckpoint)});
  }
  if (!rest.starts_with("tile/"))
    return respond(error_response("RESOURCE_NOT_FOUND", fmt::format("no endpoint GET {}: the log serves {}checkpoint, {}tile/<L>/<N>[.p/<W>] and "
                                                                    "{}tile/entries/<N>[.p/<W>]", request.path, kLogPrefix, kLogPrefix, kLogPrefix)));
  auto coord = journal::parse_tile_path(rest);
  if (!coord) return respond(error_response(Error::InvalidArgument, coord.status().message()));
  auto bytes = node_.tile(*coord);
  if (!bytes) {
    if (bytes.status().code() == Error::InvalidArgument) return respond(error_response("RESOURCE_NOT_FOUND", bytes.status().message()));
    return respond(error_response("SERVER_ERROR", bytes.status().message()));
  }
  respond(HttpResponse{200, std::move(bytes).value(), "application/octet-stream", std::string(coord->full() ? kImmutable : kPartial)});
}

}  // namespace glassbook::api
