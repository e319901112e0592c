// Passphrases from a descriptor, the environment or the terminal with echo off.
#include "app/passphrase.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

namespace glassbook::app {
namespace {

constexpr size_t kMaxPassphrase = 1024;

// Reads up to the first newline or the end; the descriptor is left open (it is the caller's).
Result<std::string> read_line(int fd, const std::string& where) {
  std::string out;
  char c = 0;
  while (out.size() <= kMaxPassphrase) {
    const ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status(Error::Io, fmt::format("cannot read the passphrase from {}: {}", where, std::strerror(errno)));
    if (n == 0 || c == '\n') break;
    out += c;
  }
  if (out.size() > kMaxPassphrase) return Status(Error::InvalidArgument, fmt::format("the passphrase from {} is longer than {} bytes", where, kMaxPassphrase));
  if (!out.empty() && out.back() == '\r') out.pop_back();
  return out;
}

Result<std::string> ask(int tty, const std::string& prompt) {
  termios old{};
  const bool is_term = ::tcgetattr(tty, &old) == 0;
  if (is_term) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(tty, TCSAFLUSH, &quiet);
  }
  (void)!::write(tty, prompt.data(), prompt.size());
  auto line = read_line(tty, "the terminal");
  if (is_term) ::tcsetattr(tty, TCSAFLUSH, &old);
  (void)!::write(tty, "\n", 1);
  return line;
}

}  // namespace

Result<std::string> read_passphrase(const PassphraseSource& s) {
  Result<std::string> got = std::string();
  std::string where;
  if (s.fd >= 0) {
    where = fmt::format("descriptor {}", s.fd);
    got = read_line(s.fd, where);
  } else if (!s.env.empty()) {
    where = fmt::format("environment variable {}", s.env);
    const char* v = std::getenv(s.env.c_str());
    if (v == nullptr) return Status(Error::InvalidArgument, fmt::format("{} is not set", where));
    got = std::string(v);
  } else {
    where = "the terminal";
    const int tty = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (tty < 0)
      return Status(Error::InvalidArgument, "no terminal to ask for the passphrase: give --passphrase-fd or --passphrase-env");
    got = ask(tty, s.prompt.empty() ? "passphrase: " : s.prompt);
    if (got && s.confirm) {
      auto again = ask(tty, "the same passphrase again: ");
      if (!again) got = again.status();
      else if (*again != *got) got = Status(Error::InvalidArgument, "the two passphrases differ");
    }
    ::close(tty);
  }
  if (!got) return got;
  if (got->empty()) return Status(Error::InvalidArgument, fmt::format("the passphrase from {} is empty", where));
  return got;
}

}  // namespace glassbook::app
