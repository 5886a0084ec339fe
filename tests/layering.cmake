# layering.cmake -- fail when libintake.a calls terminal I/O or exits.
# Run with: cmake -DLIB=path/to/libintake.a -P layering.cmake
execute_process(COMMAND nm -u ${LIB} OUTPUT_VARIABLE undef RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm failed on ${LIB}")
endif()
set(bad "")
foreach(sym exit _exit abort printf puts putchar stdout stderr isatty
        readline fputs fprintf vprintf perror getline)
  if(undef MATCHES "(^|\n)[ \tU]*${sym}(@[^\n]*)?\n")
    list(APPEND bad ${sym})
  endif()
endforeach()
if(bad)
  message(FATAL_ERROR "libintake uses forbidden symbols: ${bad}")
endif()
message(STATUS "libintake: no terminal I/O, no exit")
