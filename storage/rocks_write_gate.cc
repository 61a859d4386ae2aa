#include "storage/rocks_write_gate.h"

#include "storage/rocks_status.h"

namespace driftline::storage {

class RocksWriteGate::Listener final : public rocksdb::EventListener {
 public:
  explicit Listener(RocksWriteGate* gate) : gate_(gate) {}

  void OnBackgroundError(rocksdb::BackgroundErrorReason, rocksdb::Status* error) override {
    if (error != nullptr && !error->ok()) gate_->stopped_.store(true);
  }

  // The gate resumes on the next write instead (see the header).
  void OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason, rocksdb::Status,
                            bool* auto_recovery) override {
    *auto_recovery = false;
  }

 private:
  RocksWriteGate* const gate_;
};

std::shared_ptr<rocksdb::EventListener> RocksWriteGate::MakeListener() {
  return std::make_shared<Listener>(this);
}

Status RocksWriteGate::Failed(const rocksdb::Status& s, const std::string& context) {
  stopped_.store(true);
  ++write_errors_;
  if (s.IsNoSpace()) ++no_space_errors_;
  return FromRocks(s, context);
}

Status RocksWriteGate::ResumeIfStopped(const std::string& context) {
  if (!stopped_.load()) return Status::Ok();
  std::lock_guard<std::mutex> lock(resume_mu_);
  if (!stopped_.load()) return Status::Ok();  // another writer resumed it
  rocksdb::Status s = db_->Resume();
  if (!s.ok()) return Failed(s, context + " (the store stopped after an earlier failure and cannot resume yet)");
  stopped_.store(false);
  ++resumes_;
  return Status::Ok();
}

Status RocksWriteGate::Write(const rocksdb::WriteOptions& options, rocksdb::WriteBatch* batch,
                             const std::string& context) {
  DRIFTLINE_RETURN_IF_ERROR(ResumeIfStopped(context));
  rocksdb::Status s = db_->Write(options, batch);
  if (!s.ok()) return Failed(s, context);
  return Status::Ok();
}

Status RocksWriteGate::SyncWal(const std::string& context) {
  DRIFTLINE_RETURN_IF_ERROR(ResumeIfStopped(context));
  rocksdb::Status s = db_->SyncWAL();
  if (!s.ok()) return Failed(s, context);
  return Status::Ok();
}

StorageCounters RocksWriteGate::counters() const {
  StorageCounters c;
  c.write_errors = write_errors_.load();
  c.no_space_errors = no_space_errors_.load();
  c.resumes = resumes_.load();
  return c;
}

}  // namespace driftline::storage
