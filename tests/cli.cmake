# cli.cmake -- the command line as a whole (label `cli`):
# cli/command_line: options before and after operands, `--`, -h and
# `intake help`, did-you-mean, the pack as an operand or --rules, in
# every command (tests/cli/command_line.sh);
# docs/man_synopsis: the man page's SYNOPSIS is what the command table
# prints, every command is in the man page and the README, and each
# command's help is the same however it is asked for.
add_test(NAME cli/command_line
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/command_line.sh
          $<TARGET_FILE:intake> ${CMAKE_SOURCE_DIR})
find_program(IK_CLI_PYTHON3 python3 PATHS /usr/bin NO_DEFAULT_PATH)
find_program(IK_CLI_PYTHON3 python3)
if(NOT IK_CLI_PYTHON3)
  set(IK_CLI_PYTHON3 python3-not-found) # fails: scripts/deps.sh test
endif()
add_test(NAME docs/man_synopsis
  COMMAND ${IK_CLI_PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/docs/man_synopsis.py
          $<TARGET_FILE:intake> ${CMAKE_SOURCE_DIR})
set_tests_properties(cli/command_line docs/man_synopsis PROPERTIES
  LABELS cli TIMEOUT 300)

# cli/completion: the generated bash completion (built with the program,
# installed by cmake --install) completes commands, options, their values
# and pack files.
add_test(NAME cli/completion
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/completion.sh
          ${CMAKE_BINARY_DIR}/completion/intake ${CMAKE_SOURCE_DIR})
set_tests_properties(cli/completion PROPERTIES LABELS cli)
