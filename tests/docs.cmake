# docs.cmake -- the documentation's examples (label `docs`):
# docs/examples runs every shell example of README.md and docs/*.md as
# pasted at the repository root against the build, checking each exit
# status and a line of output (tests/docs/examples.py, expectations in
# tests/docs/examples.txt); docs/examples_in_step checks that examples/
# is what scripts/examples.py makes from the bundled pack's test cases.
# Both need python3 (scripts/deps.sh test): without it they fail.
find_program(IK_DOCS_PYTHON3 python3 PATHS /usr/bin NO_DEFAULT_PATH)
find_program(IK_DOCS_PYTHON3 python3)
if(NOT IK_DOCS_PYTHON3)
  set(IK_DOCS_PYTHON3 python3-not-found)
endif()
add_test(NAME docs/examples
  COMMAND ${IK_DOCS_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/docs/examples.py
          $<TARGET_FILE:intake> ${CMAKE_SOURCE_DIR}
          ${CMAKE_CURRENT_BINARY_DIR}/docs-examples)
add_test(NAME docs/examples_in_step
  COMMAND ${IK_DOCS_PYTHON3} ${CMAKE_SOURCE_DIR}/scripts/examples.py --check)
set_tests_properties(docs/examples docs/examples_in_step PROPERTIES
  LABELS docs TIMEOUT 900
  ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1:strict_memcmp=0")

# docs/schemas: the JSON Schemas in docs/schemas/ against real outputs and
# inputs (outcome, session file, answers, test-case file, and the
# --format json of test, explore and sessions); python3-jsonschema.
add_test(NAME docs/schemas
  COMMAND ${IK_DOCS_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/docs/schemas.py
          $<TARGET_FILE:intake> ${CMAKE_SOURCE_DIR})
set_tests_properties(docs/schemas PROPERTIES LABELS docs TIMEOUT 600)
