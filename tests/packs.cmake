# packs.cmake -- the rule-pack corpus (label `packs`): every broken pack in
# tests/packs/bad/ must fail `intake check` with exactly the diagnostics in
# its .expected file; every good pack (tests/packs/good/, rules/,
# rules/examples/) must check clean; and the JSON Schema must agree with
# the loader on all of them. Included by tests/CMakeLists.txt.
set(IK_PACKS_DIR ${CMAKE_SOURCE_DIR}/tests/packs)

file(GLOB IK_BAD_PACKS CONFIGURE_DEPENDS ${IK_PACKS_DIR}/bad/*.json)
foreach(pack ${IK_BAD_PACKS})
  get_filename_component(file ${pack} NAME)
  get_filename_component(stem ${pack} NAME_WE)
  add_test(NAME packs/bad/${stem}
    COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:intake>
            -DDIR=${IK_PACKS_DIR}/bad -DPACK=${file} -DMODE=bad
            -P ${IK_PACKS_DIR}/check_pack.cmake)
  set_tests_properties(packs/bad/${stem} PROPERTIES LABELS packs)
endforeach()

file(GLOB IK_GOOD_PACKS CONFIGURE_DEPENDS ${IK_PACKS_DIR}/good/*.json
     ${CMAKE_SOURCE_DIR}/rules/*.json ${CMAKE_SOURCE_DIR}/rules/examples/*.json)
list(FILTER IK_GOOD_PACKS EXCLUDE REGEX "\\.tests\\.json$")
foreach(pack ${IK_GOOD_PACKS})
  get_filename_component(dir ${pack} DIRECTORY)
  get_filename_component(file ${pack} NAME)
  get_filename_component(stem ${pack} NAME_WE)
  file(RELATIVE_PATH rel ${CMAKE_SOURCE_DIR} ${dir})
  add_test(NAME packs/good/${rel}/${stem}
    COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:intake>
            -DDIR=${dir} -DPACK=${file} -DMODE=good
            -P ${IK_PACKS_DIR}/check_pack.cmake)
  set_tests_properties(packs/good/${rel}/${stem} PROPERTIES LABELS packs)
endforeach()

# The schema and the loader agree (python3 with jsonschema; 77 = skipped).
# Debian's python3, where scripts/deps.sh installs python3-jsonschema, comes
# before any other python3 on the PATH.
find_program(IK_PYTHON3 python3 PATHS /usr/bin NO_DEFAULT_PATH)
find_program(IK_PYTHON3 python3)
if(IK_PYTHON3)
  add_test(NAME packs/schema
    COMMAND ${IK_PYTHON3} ${IK_PACKS_DIR}/schema_agree.py
            $<TARGET_FILE:intake> ${CMAKE_SOURCE_DIR})
  set_tests_properties(packs/schema PROPERTIES LABELS packs
                       SKIP_RETURN_CODE 77)
endif()

# The schema compiles under ajv in strict mode and agrees with the loader
# (node and ajv from scripts/test-tools.sh; skipped, 77, without them).
set(IK_TEST_TOOLS_DIR ${CMAKE_SOURCE_DIR}/build/test-tools CACHE PATH
    "Where scripts/test-tools.sh installed ajv")
find_program(IK_NODE node)
if(IK_NODE)
  add_test(NAME packs/schema_ajv
    COMMAND ${IK_NODE} ${IK_PACKS_DIR}/ajv_strict.js ${IK_TEST_TOOLS_DIR}
            ${CMAKE_SOURCE_DIR})
  set_tests_properties(packs/schema_ajv PROPERTIES LABELS packs
                       SKIP_RETURN_CODE 77)
endif()

# The command line of `intake check`.
add_test(NAME packs/cli
  COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:intake> -DDIR=${IK_PACKS_DIR}
          -DTMP=${CMAKE_CURRENT_BINARY_DIR}/check_cli
          -P ${IK_PACKS_DIR}/check_cli.cmake)
set_tests_properties(packs/cli PROPERTIES LABELS packs)

# Issue 14's probe: a condition that reads a name computed from the data
# is refused alike by check, batch, run --answers and the interview; with
# its reads named, the three give the same outcome.
add_test(NAME packs/probe_paths
  COMMAND sh ${IK_PACKS_DIR}/probe_paths.sh $<TARGET_FILE:intake> ${IK_PACKS_DIR})
set_tests_properties(packs/probe_paths PROPERTIES LABELS packs TIMEOUT 60)
