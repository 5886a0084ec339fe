# layering_cli.cmake -- fail when the program (engine/cli/) includes a
# header of the core that is not public: it may include only
# include/intake/ headers, its own headers (engine/cli/*.h) and the
# generated config.h, so it reads no core struct field (issue 14, 4).
# The build proves the same (the program is compiled without engine/ on
# its include path and linked to the shared library, where only IK_API
# symbols are visible); this test names the file and the header.
# Run with: cmake -DCLI=path/to/engine/cli -P layering_cli.cmake
file(GLOB files ${CLI}/*.c ${CLI}/*.h)
if(NOT files)
  message(FATAL_ERROR "no sources in ${CLI}")
endif()
set(bad "")
foreach(f ${files})
  file(STRINGS ${f} lines REGEX "^[ \t]*#[ \t]*include[ \t]*\"")
  get_filename_component(name ${f} NAME)
  foreach(line ${lines})
    string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*\"([^\"]*)\".*" "\\1"
           inc "${line}")
    if(inc MATCHES "^intake/[a-z_0-9]+\\.h$" OR inc STREQUAL "config.h")
      continue()
    endif()
    if(NOT inc MATCHES "/" AND EXISTS ${CLI}/${inc})
      continue()
    endif()
    list(APPEND bad "${name}: ${inc}")
  endforeach()
endforeach()
if(bad)
  string(REPLACE ";" "\n  " bad "${bad}")
  message(FATAL_ERROR "engine/cli includes core headers that are not "
          "public:\n  ${bad}")
endif()
message(STATUS "engine/cli includes only include/intake/ and its own headers")
