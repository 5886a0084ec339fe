# e2e.cmake -- end-to-end tests of `intake run` as a person uses it: the
# pty driver (tests/e2e/pty_driver.c) runs each tests/e2e/*.script under a
# pseudo-terminal or a pipe. Label `e2e`.
add_executable(pty_driver ${CMAKE_CURRENT_SOURCE_DIR}/e2e/pty_driver.c)
target_compile_definitions(pty_driver PRIVATE ${IK_TEST_DEFS})
target_link_libraries(pty_driver PRIVATE util ik_warnings)
add_dependencies(pty_driver intake)

file(GLOB IK_E2E_SCRIPTS CONFIGURE_DEPENDS
     ${CMAKE_CURRENT_SOURCE_DIR}/e2e/*.script)
foreach(script ${IK_E2E_SCRIPTS})
  get_filename_component(name ${script} NAME_WE)
  add_test(NAME e2e_${name} COMMAND pty_driver ${script})
  # GNU readline 8.2's redisplay in horizontal-scroll mode (TERM=dumb, long
  # lines) calls memcmp with a length past its buffer and relies on an
  # early difference; ASan's strict_memcmp flags that now and then (seen in
  # 3 of 8 parallel runs of bad_input). strict_memcmp=0 still checks every
  # byte memcmp actually reads. Unit tests keep the strict default.
  set_tests_properties(e2e_${name} PROPERTIES LABELS e2e TIMEOUT 120
                       ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1:strict_memcmp=0")
endforeach()

# The man page renders without groff warnings (skipped without groff).
find_program(IK_GROFF groff)
if(IK_GROFF)
  add_test(NAME man_page_lint
    COMMAND ${IK_GROFF} -man -Tutf8 -ww -z ${CMAKE_SOURCE_DIR}/docs/intake.1)
  set_tests_properties(man_page_lint PROPERTIES LABELS e2e
    FAIL_REGULAR_EXPRESSION "warning|error")
endif()
