// <dir>/cosigned-checkpoint: the newest checkpoint the exchange published with its witnesses' cosignature lines.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "journal/storage.h"

namespace glassbook::journal {

// The note exactly as served by GET /api/v1/glassbook/checkpoint: the log's signed checkpoint (also in
// checkpoints.log) followed by the cosignature lines gathered for it. Replaced atomically (temporary
// file, fdatasync, rename, directory fsync) each time a witness adds one, so a restart publishes
// the cosignatures already gathered. The cosignatures are checked by whoever reads them.
inline constexpr const char* kCosignedCheckpointFile = "cosigned-checkpoint";

Status store_cosigned_checkpoint(const std::string& dir, std::string_view note, Storage& storage = file_storage());
// nullopt when there is none yet.
Result<std::optional<std::string>> load_cosigned_checkpoint(const std::string& dir, Storage& storage = file_storage());

}  // namespace glassbook::journal
