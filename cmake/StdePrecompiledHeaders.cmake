# Precompiled MLIR/LLVM headers (cmake/PrecompiledMlirHeaders.h says why):
# each kind of target compiles them once and its sources reuse the result.
# GCC uses a precompiled header only when the compiling options match those
# it was made with (it says so under -Winvalid-pch, which CMake turns on), so
# targets reuse one only within a group of equal options:
#   - the compiler's libraries (add_mlir_library: no exceptions, no RTTI):
#     one header, made by the first of them (StdeUtils, which depends on no
#     other stde target, so reusing it adds no cycle);
#   - libstde and the unit tests linked to MLIR (exceptions): one each.
option(STDE_PRECOMPILED_HEADERS "Precompile the MLIR headers most sources include" ON)
set(STDE_PRECOMPILED_HEADER ${CMAKE_CURRENT_LIST_DIR}/PrecompiledMlirHeaders.h)

# Every target defined under `dir` (recursively) into `out`.
function(stde_targets_under dir out)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(sub ${subdirs})
    stde_targets_under(${sub} sub_targets)
    list(APPEND targets ${sub_targets})
  endforeach()
  set(${out} ${targets} PARENT_SCOPE)
endfunction()

# Gives `owner` the precompiled header and lets each further target reuse it.
function(stde_precompile_mlir_headers owner)
  if(NOT STDE_PRECOMPILED_HEADERS)
    return()
  endif()
  target_precompile_headers(${owner} PRIVATE ${STDE_PRECOMPILED_HEADER})
  foreach(target ${ARGN})
    if(NOT target STREQUAL owner)
      target_precompile_headers(${target} REUSE_FROM ${owner})
    endif()
  endforeach()
endfunction()

# The object libraries of every add_mlir_library under dialects/ and lib/.
function(stde_precompile_compiler_libraries)
  stde_targets_under(${PROJECT_SOURCE_DIR}/dialects dialect_targets)
  stde_targets_under(${PROJECT_SOURCE_DIR}/lib lib_targets)
  set(object_libraries)
  foreach(target ${dialect_targets} ${lib_targets})
    if(target MATCHES "^obj\\.")
      list(APPEND object_libraries ${target})
    endif()
  endforeach()
  stde_precompile_mlir_headers(obj.StdeUtils ${object_libraries})
endfunction()
