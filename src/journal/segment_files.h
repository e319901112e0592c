// Listing a journal directory's segment files in sequence order.
#pragma once
#include <string>
#include <vector>

#include "core/result.h"
#include "journal/segment.h"
#include "journal/storage.h"

namespace glassbook::journal {

struct SegmentFile {
  SeqNo first_seq = 0;  // from the file name
  std::string name;     // file name within the directory
  std::string path;     // dir + "/" + name

  bool operator==(const SegmentFile&) const = default;
};

// The segment files of `dir`, in increasing first_seq. Other files are ignored, but a name that
// starts with "journal-" and ends with ".log" without being exactly a segment name is
// Error::Corruption; a directory that cannot be read is Error::Io.
Result<std::vector<SegmentFile>> list_segments(const std::string& dir, Storage& storage = file_storage());

}  // namespace glassbook::journal
