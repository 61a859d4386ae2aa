// The node's log writer: encodes and appends partitions' log records on a
// thread of its own, so that CAF's workers (the predict path: router reads,
// partition reads) never wait for RocksDB. A detached actor: its mailbox is
// served by its own thread; predictions to log arrive at high priority and
// go ahead of queued ingest appends.
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "actors/actors.h"
#include "actors/messages.h"

namespace driftline {
namespace {

struct LogWriterState {
  storage::EventLog* events = nullptr;
  int nice = 0;
  std::ostream* log = nullptr;
  bool priority_set = false;
  static inline const char* name = "log_writer";
};

using LogWriterSelf = caf::stateful_actor<LogWriterState>*;

// Lowers the writer thread's priority once, from that thread.
void SetPriorityOnce(LogWriterSelf self) {
  auto& st = self->state;
  if (st.priority_set) return;
  st.priority_set = true;
  if (st.nice == 0) return;
  if (setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), st.nice) != 0 && st.log) {
    *st.log << "[node] log writer thread keeps its priority (nice " << st.nice
            << " refused: " << std::strerror(errno) << ")\n";
  }
}

caf::behavior LogWriter(LogWriterSelf self, storage::EventLog* events, int nice, std::ostream* log) {
  self->state.events = events;
  self->state.nice = nice;
  self->state.log = log;
  return {
      [=](append_atom, AppendRequest& request) -> AppendOutcome {
        SetPriorityOnce(self);
        AppendOutcome out;
        auto range = self->state.events->Append(request.partition,
                                                PartitionJournal::EncodeForLog(request.inputs, request.epoch));
        if (range.ok()) {
          out.range = *range;
        } else {
          out.error = range.status().ToString();
        }
        out.inputs = std::move(request.inputs);
        return out;
      },
  };
}

}  // namespace

caf::actor SpawnLogWriter(caf::actor_system& system, storage::EventLog* events, int nice,
                          std::ostream* log) {
  return system.spawn<caf::detached>(LogWriter, events, nice, log);
}

}  // namespace driftline
