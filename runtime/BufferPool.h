//===- BufferPool.h - reused large buffers for compiled code --------------===//
//
// A compiled step allocates its temporaries with malloc and frees them before
// it returns. Left to glibc, their pages come fresh from the system every
// step: parameter-sized ones (tens of MB at d = 10^5) are mapped and unmapped,
// and the 100 KB .. 1 MB ones of a width-128 step grow the heap, which glibc
// trims again when they are freed (4,700 page faults and ~26 brk calls per
// step at d = 100: 12 ms instead of 4). The JIT resolves the step's
// malloc/free to these functions: blocks of at least kPooledBytes (a page)
// are kept, by exact size, and handed back to the next request of that size
// (a step asks for the same sizes every time); smaller ones go to malloc.
// Memory is never returned to the system while the process runs; the pool
// holds at most the largest number of simultaneously live blocks of each
// size. Compiled code never sees a null pointer: a request that cannot be
// served ends the guarded call that made it (runGuarded), and the host
// reports the size as an error.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_RUNTIME_BUFFERPOOL_H
#define STDE_RUNTIME_BUFFERPOOL_H

#include <cstddef>
#include <cstdint>

namespace stde::runtime {

constexpr size_t kPooledBytes = 4096;

struct BufferPoolStats {
  int64_t pooledBytes;   ///< bytes held for reuse now
  int64_t reuses, fresh; ///< large requests served from the pool / by the system
  int64_t liveBytes;     ///< bytes compiled code holds now
};
BufferPoolStats bufferPoolStats();

/// The most bytes compiled code may hold at once (0, the default: as many as
/// the system gives). A request beyond it fails like one the system refuses.
void setBufferPoolLimit(size_t bytes);

/// Calls compiled code (`function(arguments)`, an entry's packed form) so
/// that an allocation it cannot get ends the call instead of the process:
/// the blocks the call held go back to the pool and the size of the request
/// that failed is returned (0: the call ran to its end). Compiled code
/// allocates only on the calling thread (its parallel loop bodies allocate
/// nothing); a failure on another thread ends the process with the reason.
size_t runGuarded(void (*function)(void **), void **arguments);

/// What an allocator of compiled code (this pool, the CUDA launcher's) does
/// with a request of `bytes` it cannot serve: inside a guarded call on this
/// thread, ends that call (runGuarded returns `bytes`); elsewhere, ends the
/// process with the reason. Never returns.
[[noreturn]] void failAllocation(size_t bytes);

} // namespace stde::runtime

extern "C" void *stde_pool_malloc(size_t bytes);
extern "C" void stde_pool_free(void *pointer);

#endif // STDE_RUNTIME_BUFFERPOOL_H
