// `glassbook claims transfers`: replay a journal to its newest signed checkpoint and export an
// estate's transfer-of-claim records (docs/claims.md, "Transfer records").
#include "app/claims_command.h"

#include <fmt/format.h>

#include <cstdio>
#include <fstream>

#include "api/claim_transfers_export.h"

namespace glassbook::app {

int run_claims_transfers(const ClaimTransfersOptions& o) {
  if (o.format != "csv" && o.format != "json") {
    fmt::print(stderr, "glassbook: --format is csv or json, not '{}'\n", o.format);
    return 2;
  }
  auto x = api::collect_claim_transfers(o.dir, o.estate, o.from);
  if (!x) {
    fmt::print(stderr, "glassbook: {}\n", x.status().to_string());
    return 1;
  }
  const std::string text = o.format == "csv" ? api::claim_transfers_csv(*x) : api::claim_transfers_json(*x);
  if (o.out.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
  } else {
    std::ofstream f(o.out, std::ios::binary | std::ios::trunc);
    if (!f.write(text.data(), static_cast<std::streamsize>(text.size())) || !f.flush()) {
      fmt::print(stderr, "glassbook: cannot write {}\n", o.out);
      return 1;
    }
  }
  fmt::print(stderr, "{} transfer records of estate {} ('{}'), covered by the checkpoint of {} records (signature and state root verified)\n",
             x->transfers.size(), x->estate, x->config.estates[x->estate].name, x->checkpoint.tree_size);
  return 0;
}

}  // namespace glassbook::app
