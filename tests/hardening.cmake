# hardening.cmake -- ctest `hardening` (label `hardening`): in a release
# build (Release/RelWithDebInfo, no sanitizers, no fuzzing) the intake
# program must be PIE with full RELRO (relro + bind-now), a stack
# protector and _FORTIFY_SOURCE checks, as issue 8 asks. Other builds
# report the test as skipped. Included by tests/CMakeLists.txt to register
# the test, and run by ctest with `cmake -P` to do the check (readelf).
if(CMAKE_SCRIPT_MODE_FILE)
  if(NOT RELEASE)
    message("hardening: skipped (not a release build: ${BUILD_TYPE})")
    return()
  endif()
  find_program(READELF readelf REQUIRED)
  execute_process(COMMAND ${READELF} -W -h -l -d --dyn-syms ${EXE}
                  OUTPUT_VARIABLE elf RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "readelf failed on ${EXE}")
  endif()
  set(missing "")
  if(NOT elf MATCHES "Type:[ \t]+DYN")
    list(APPEND missing "PIE (ELF type is not DYN)")
  endif()
  if(NOT elf MATCHES "GNU_RELRO")
    list(APPEND missing "RELRO (no GNU_RELRO segment)")
  endif()
  if(NOT elf MATCHES "BIND_NOW|Flags:[^\n]*NOW")
    list(APPEND missing "full RELRO (no BIND_NOW)")
  endif()
  if(NOT elf MATCHES "Flags:[^\n]*PIE")
    list(APPEND missing "PIE flag in FLAGS_1")
  endif()
  if(NOT elf MATCHES "__stack_chk_fail")
    list(APPEND missing "stack protector (no __stack_chk_fail)")
  endif()
  if(NOT elf MATCHES "__[a-z]+_chk@")
    list(APPEND missing "_FORTIFY_SOURCE (no __*_chk calls)")
  endif()
  if(missing)
    message(FATAL_ERROR "hardening: ${EXE} lacks: ${missing}")
  endif()
  message("hardening: ${EXE} is PIE, full RELRO, stack protector, fortified")
  return()
endif()

if(CMAKE_BUILD_TYPE MATCHES "Rel" AND NOT IK_SANITIZE AND NOT IK_FUZZ)
  set(IK_RELEASE_BUILD ON)
else()
  set(IK_RELEASE_BUILD OFF)
endif()
add_test(NAME hardening
  COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:intake>
          -DRELEASE=${IK_RELEASE_BUILD} -DBUILD_TYPE=${CMAKE_BUILD_TYPE}
          -P ${CMAKE_CURRENT_LIST_FILE})
set_tests_properties(hardening PROPERTIES LABELS hardening
                     SKIP_REGULAR_EXPRESSION "hardening: skipped")
