#include "common/bounded_line.h"

namespace driftline {

bool ReadBoundedLine(std::istream& in, size_t max_bytes, std::string* line, bool* too_long) {
  line->clear();
  *too_long = false;
  std::streambuf* buf = in.rdbuf();
  using Traits = std::char_traits<char>;
  bool any = false;
  while (true) {
    const Traits::int_type c = buf->sbumpc();
    if (Traits::eq_int_type(c, Traits::eof())) return any;
    any = true;
    const char ch = Traits::to_char_type(c);
    if (ch == '\n') return true;
    if (line->size() < max_bytes) {
      line->push_back(ch);
    } else {
      *too_long = true;
    }
  }
}

}  // namespace driftline
