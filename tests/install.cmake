# install.cmake -- `cmake --install` into a temporary prefix, moved, then
# used: the program finds its packs, and examples/embed.c builds against
# the tree with pkg-config, find_package and from C++ (issue 14). Not
# under the sanitizers: an instrumented libintake cannot be loaded by the
# uninstrumented example programs. Included by tests/CMakeLists.txt.
if(NOT IK_SANITIZE)
  add_test(NAME install_tree
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/install/install_tree.sh
            ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR})
  set_tests_properties(install_tree PROPERTIES LABELS e2e TIMEOUT 300
                       ENVIRONMENT "CC=${CMAKE_C_COMPILER}")
endif()
