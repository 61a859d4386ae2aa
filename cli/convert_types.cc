// See cli/convert_types.h.
#include "cli/convert_types.h"

namespace driftline {

Status ConvertStats::Reject(const ConvertOptions& options, const std::string& name, int64_t line,
                            const std::string& message) {
  std::string full = name + ":" + std::to_string(line) + ": " + message;
  if (!options.skip_bad_lines) return Status::InvalidArgument(full);
  if (skipped_lines == 0) first_skipped_error = full;
  ++skipped_lines;
  return Status::Ok();
}

bool LineReader::Next(std::string* line, bool* too_long) {
  line->clear();
  *too_long = false;
  std::streambuf* buf = in_.rdbuf();
  using Traits = std::char_traits<char>;
  bool any = false;
  while (true) {
    Traits::int_type c = buf->sbumpc();
    if (Traits::eq_int_type(c, Traits::eof())) break;
    any = true;
    char ch = Traits::to_char_type(c);
    if (ch == '\n') break;
    if (line->size() < max_) {
      line->push_back(ch);
    } else {
      *too_long = true;
    }
  }
  if (!any) return false;
  ++line_number_;
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return true;
}

}  // namespace driftline
