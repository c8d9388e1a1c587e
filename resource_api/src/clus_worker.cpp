// ClusWorker*: the worker threads a resource DLL uses for pending operations.
//
// CLUS_WORKER.hThread holds a pointer to a heap-allocated worker_handle (a shared_ptr to
// the worker's state); the thread itself runs detached and signals when the routine has
// returned, so "waiting for the thread" means waiting for that signal. Terminate is the
// plain BOOL of the structure, read and written atomically because the worker polls it
// while another thread sets it.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <new>
#include <system_error>
#include <thread>

#include "wolfpack/resapi.h"

namespace {

struct worker_state {
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;  // guarded by mutex
  std::thread::id thread_id;
};

struct worker_handle {
  std::shared_ptr<worker_state> state;
};

std::atomic_ref<BOOL> terminate_flag(PCLUS_WORKER worker) {
  return std::atomic_ref<BOOL>(worker->Terminate);
}

worker_handle* handle_of(PCLUS_WORKER worker) {
  return static_cast<worker_handle*>(
      std::atomic_ref<HANDLE>(worker->hThread).load(std::memory_order_acquire));
}

// Waits until the routine returned or the deadline passed; true when it returned.
bool wait_done(const worker_state& state_ref, std::chrono::steady_clock::time_point deadline,
               bool forever) {
  auto& state = const_cast<worker_state&>(state_ref);
  std::unique_lock lock(state.mutex);
  if (forever) {
    state.done_cv.wait(lock, [&] { return state.done; });
    return true;
  }
  return state.done_cv.wait_until(lock, deadline, [&] { return state.done; });
}

// Forgets the thread: hThread back to NULL, the handle freed (exactly once).
void release(PCLUS_WORKER worker, worker_handle* expected) {
  HANDLE h = expected;
  if (std::atomic_ref<HANDLE>(worker->hThread)
          .compare_exchange_strong(h, nullptr, std::memory_order_acq_rel)) {
    delete expected;
  }
}

bool is_self(const worker_handle* handle) {
  std::lock_guard lock(handle->state->mutex);
  return handle->state->thread_id == std::this_thread::get_id();
}

// One worker under a deadline (forever when TimeoutInMilliseconds is INFINITE).
DWORD terminate_ex(PCLUS_WORKER worker, std::chrono::steady_clock::time_point deadline,
                   bool forever, BOOL wait_only) {
  if (worker == nullptr)
    return ERROR_INVALID_PARAMETER;
  worker_handle* handle = handle_of(worker);
  if (handle == nullptr)
    return ERROR_SUCCESS;  // never started, or already forgotten
  if (is_self(handle)) {
    if (!wait_only)
      terminate_flag(worker).store(TRUE);
    return WAIT_TIMEOUT;  // a thread cannot wait for itself
  }
  if (wait_done(*handle->state, deadline, forever)) {
    release(worker, handle);
    return ERROR_SUCCESS;
  }
  if (!wait_only)
    terminate_flag(worker).store(TRUE);
  return WAIT_TIMEOUT;
}

}  // namespace

extern "C" {

DWORD WINAPI ClusWorkerCreate(PCLUS_WORKER lpWorker, PWORKER_START_ROUTINE lpStartAddress,
                              PVOID lpParameter) {
  if (lpWorker == nullptr || lpStartAddress == nullptr)
    return ERROR_INVALID_PARAMETER;
  try {
    auto state = std::make_shared<worker_state>();
    auto* handle = new worker_handle{state};
    terminate_flag(lpWorker).store(FALSE);
    std::atomic_ref<HANDLE>(lpWorker->hThread).store(handle, std::memory_order_release);
    std::thread thread;
    try {
      // The state is locked until thread_id is set, so is_self() never reads it early.
      std::unique_lock lock(state->mutex);
      thread = std::thread([state, lpWorker, lpStartAddress, lpParameter] {
        { std::lock_guard started(state->mutex); }
        lpStartAddress(lpWorker, lpParameter);
        std::lock_guard done(state->mutex);
        state->done = true;
        state->done_cv.notify_all();
      });
      state->thread_id = thread.get_id();
    } catch (...) {
      std::atomic_ref<HANDLE>(lpWorker->hThread).store(nullptr);
      delete handle;
      throw;
    }
    thread.detach();
    return ERROR_SUCCESS;
  } catch (const std::bad_alloc&) {
    return ERROR_NOT_ENOUGH_MEMORY;
  } catch (const std::system_error&) {
    return ERROR_NOT_ENOUGH_MEMORY;  // no more threads
  }
}

BOOL WINAPI ClusWorkerCheckTerminate(PCLUS_WORKER lpWorker) {
  if (lpWorker == nullptr)
    return TRUE;
  return terminate_flag(lpWorker).load() ? TRUE : FALSE;
}

VOID WINAPI ClusWorkerTerminate(PCLUS_WORKER lpWorker) {
  if (lpWorker == nullptr)
    return;
  worker_handle* handle = handle_of(lpWorker);
  if (handle == nullptr)
    return;
  // Only the call that flips Terminate waits; the others may return before the thread ends.
  BOOL expected = FALSE;
  if (!terminate_flag(lpWorker).compare_exchange_strong(expected, TRUE))
    return;
  if (is_self(handle))
    return;
  wait_done(*handle->state, {}, true);
  release(lpWorker, handle);
}

DWORD WINAPI ClusWorkerTerminateEx(PCLUS_WORKER ClusWorker, DWORD TimeoutInMilliseconds,
                                   BOOL WaitOnly) {
  const bool forever = TimeoutInMilliseconds == INFINITE;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(TimeoutInMilliseconds);
  return terminate_ex(ClusWorker, deadline, forever, WaitOnly);
}

DWORD WINAPI ClusWorkersTerminate(PCLUS_WORKER* ClusWorkers, const size_t ClusWorkersCount,
                                  DWORD TimeoutInMilliseconds, BOOL WaitOnly) {
  if (ClusWorkers == nullptr && ClusWorkersCount != 0)
    return ERROR_INVALID_PARAMETER;
  const bool forever = TimeoutInMilliseconds == INFINITE;
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(TimeoutInMilliseconds);
  DWORD result = ERROR_SUCCESS;
  for (size_t i = 0; i < ClusWorkersCount; ++i) {
    if (ClusWorkers[i] == nullptr)
      continue;
    const DWORD status = terminate_ex(ClusWorkers[i], deadline, forever, WaitOnly);
    if (status != ERROR_SUCCESS && result == ERROR_SUCCESS)
      result = status;
  }
  return result;
}

}  // extern "C"
