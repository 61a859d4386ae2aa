#include "client/send_events.h"

#include <memory>
#include <utility>

namespace driftline {

EventSource EventSourceFromVector(std::vector<Event> events) {
  auto shared = std::make_shared<std::vector<Event>>(std::move(events));
  auto next = std::make_shared<size_t>(0);
  return [shared, next]() -> Result<std::optional<Event>> {
    if (*next >= shared->size()) return std::optional<Event>();
    return std::optional<Event>((*shared)[(*next)++]);
  };
}

EventSource EventSourceFromReader(EventFileReader* reader) {
  return [reader]() -> Result<std::optional<Event>> {
    auto next = reader->Next();
    if (!next.ok()) return next.status();
    if (!next->has_value()) return std::optional<Event>();
    return std::optional<Event>(std::move((*next)->event));
  };
}

}  // namespace driftline
