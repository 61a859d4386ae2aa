// The active base model, readable from any thread: the router sets it when it
// switches models; the endpoint thread reads it for its own base-only answers
// (deadline passed, node busy). Plain C++, no CAF.
//
// Thread safety: Set and Get from any thread (a mutex around one shared_ptr).
#pragma once

#include <memory>
#include <mutex>

#include "learning/base_model.h"

namespace driftline {

class ModelSlot {
 public:
  void Set(std::shared_ptr<const BaseModel> model) {
    std::lock_guard<std::mutex> lock(mutex_);
    model_ = std::move(model);
  }
  // Null while no model is active.
  std::shared_ptr<const BaseModel> Get() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return model_;
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const BaseModel> model_;
};

}  // namespace driftline
