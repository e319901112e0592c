// Where a key file's passphrase comes from: a file descriptor, an environment variable or the terminal.
#pragma once
#include <string>

#include "core/result.h"

namespace glassbook::app {

struct PassphraseSource {
  int fd = -1;           // >= 0: read from this descriptor up to its end or first newline
  std::string env;       // non-empty: the value of this environment variable
  std::string prompt;    // otherwise: asked on the terminal (/dev/tty) without echo
  bool confirm = false;  // on the terminal: asked twice, and the two must match (a new key)
};

// The passphrase, without its trailing newline. Refuses an empty one and says where it looked.
Result<std::string> read_passphrase(const PassphraseSource& source);

}  // namespace glassbook::app
