#include "storage/faulty_node_store.h"

namespace driftline::storage {

class FaultyNodeStore::Events final : public EventLog {
 public:
  Events(FaultyNodeStore* owner, EventLog& inner) : owner_(owner), inner_(inner) {}
  Result<SequenceRange> Append(uint32_t partition, const std::vector<std::string>& records) override {
    owner_->WaitWhileHeld();
    DRIFTLINE_RETURN_IF_ERROR(owner_->CheckWrite());
    return inner_.Append(partition, records);
  }
  Result<std::vector<LogRecord>> Read(uint32_t partition, uint64_t from_sequence, size_t max_records) override {
    return inner_.Read(partition, from_sequence, max_records);
  }
  Status TruncateThrough(uint32_t partition, uint64_t sequence) override {
    DRIFTLINE_RETURN_IF_ERROR(owner_->CheckWrite());
    return inner_.TruncateThrough(partition, sequence);
  }
  uint64_t LastSequence(uint32_t partition) override { return inner_.LastSequence(partition); }
  Status Sync() override {
    DRIFTLINE_RETURN_IF_ERROR(owner_->CheckWrite());
    return inner_.Sync();
  }

 private:
  FaultyNodeStore* const owner_;
  EventLog& inner_;
};

class FaultyNodeStore::Checkpoints final : public CheckpointStore {
 public:
  Checkpoints(FaultyNodeStore* owner, CheckpointStore& inner) : owner_(owner), inner_(inner) {}
  Status Put(uint32_t partition, uint64_t sequence, std::string bytes) override {
    DRIFTLINE_RETURN_IF_ERROR(owner_->CheckWrite());
    return inner_.Put(partition, sequence, std::move(bytes));
  }
  Result<Checkpoint> Latest(uint32_t partition) override { return inner_.Latest(partition); }
  Result<Checkpoint> Previous(uint32_t partition) override { return inner_.Previous(partition); }

 private:
  FaultyNodeStore* const owner_;
  CheckpointStore& inner_;
};

class FaultyNodeStore::Models final : public ModelRegistry {
 public:
  Models(FaultyNodeStore* owner, ModelRegistry& inner) : owner_(owner), inner_(inner) {}
  Status Put(const std::string& version, std::string artifact_bytes) override {
    DRIFTLINE_RETURN_IF_ERROR(owner_->CheckWrite());
    return inner_.Put(version, std::move(artifact_bytes));
  }
  Result<std::string> Get(const std::string& version) override { return inner_.Get(version); }
  std::vector<std::string> List() override { return inner_.List(); }
  Status Activate(const std::string& version) override {
    DRIFTLINE_RETURN_IF_ERROR(owner_->CheckWrite());
    return inner_.Activate(version);
  }
  Result<std::string> Active() override { return inner_.Active(); }
  Result<std::string> Rollback() override {
    DRIFTLINE_RETURN_IF_ERROR(owner_->CheckWrite());
    return inner_.Rollback();
  }

 private:
  FaultyNodeStore* const owner_;
  ModelRegistry& inner_;
};

class FaultyNodeStore::Meta final : public NodeMeta {
 public:
  Meta(FaultyNodeStore* owner, NodeMeta& inner) : owner_(owner), inner_(inner) {}
  Status Put(const std::string& key, const std::string& value) override {
    DRIFTLINE_RETURN_IF_ERROR(owner_->CheckWrite());
    return inner_.Put(key, value);
  }
  Result<std::string> Get(const std::string& key) override { return inner_.Get(key); }

 private:
  FaultyNodeStore* const owner_;
  NodeMeta& inner_;
};

FaultyNodeStore::FaultyNodeStore(std::unique_ptr<NodeStore> inner)
    : inner_(std::move(inner)),
      events_(std::make_unique<Events>(this, inner_->events())),
      checkpoints_(std::make_unique<Checkpoints>(this, inner_->checkpoints())),
      models_(std::make_unique<Models>(this, inner_->models())),
      meta_(std::make_unique<Meta>(this, inner_->meta())) {}

FaultyNodeStore::~FaultyNodeStore() { ReleaseAppends(); }

void FaultyNodeStore::HoldAppends() {
  std::lock_guard<std::mutex> lock(mu_);
  hold_appends_ = true;
}

void FaultyNodeStore::ReleaseAppends() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    hold_appends_ = false;
  }
  released_.notify_all();
}

int FaultyNodeStore::held_appends() {
  std::lock_guard<std::mutex> lock(mu_);
  return held_appends_;
}

void FaultyNodeStore::WaitWhileHeld() {
  std::unique_lock<std::mutex> lock(mu_);
  if (!hold_appends_) return;
  ++held_appends_;
  released_.wait(lock, [this] { return !hold_appends_; });
  --held_appends_;
}

Status FaultyNodeStore::NoSpaceError() {
  return Status::ResourceExhausted("no space left on the data dir's disk, nothing was written (injected fault)");
}

void FaultyNodeStore::FailWrites(Status error) {
  std::lock_guard<std::mutex> lock(mu_);
  error_ = std::move(error);
}

void FaultyNodeStore::Heal() {
  std::lock_guard<std::mutex> lock(mu_);
  error_ = Status::Ok();
  if (refused_since_heal_) ++injected_.resumes;
  refused_since_heal_ = false;
}

Status FaultyNodeStore::CheckWrite() {
  std::lock_guard<std::mutex> lock(mu_);
  if (error_.ok()) return Status::Ok();
  refused_since_heal_ = true;
  ++injected_.write_errors;
  if (error_.code() == Status::Code::kResourceExhausted) ++injected_.no_space_errors;
  return error_;
}

EventLog& FaultyNodeStore::events() { return *events_; }
CheckpointStore& FaultyNodeStore::checkpoints() { return *checkpoints_; }
ModelRegistry& FaultyNodeStore::models() { return *models_; }
NodeMeta& FaultyNodeStore::meta() { return *meta_; }

StorageCounters FaultyNodeStore::counters() {
  StorageCounters c = inner_->counters();
  std::lock_guard<std::mutex> lock(mu_);
  c.write_errors += injected_.write_errors;
  c.no_space_errors += injected_.no_space_errors;
  c.resumes += injected_.resumes;
  return c;
}

}  // namespace driftline::storage
