# locale.cmake -- numbers are read and written alike in every locale
# (issue 14): locale_de_prepare builds a de_DE.UTF-8 locale into the build
# tree with localedef (scripts/deps.sh test installs `locales`), and
# locale_numbers runs the core under it with LOCPATH pointing there.
# Included by tests/CMakeLists.txt.
set(IK_LOCALE_DIR ${CMAKE_CURRENT_BINARY_DIR}/locale)
add_test(NAME locale_de_prepare
  COMMAND sh -c "mkdir -p \"$1\" && localedef -c -i de_DE -f UTF-8 \"$1/de_DE.UTF-8\"" sh ${IK_LOCALE_DIR})
set_tests_properties(locale_de_prepare PROPERTIES FIXTURES_SETUP ik_locale_de
                     LABELS unit)

add_executable(locale_numbers ${CMAKE_CURRENT_SOURCE_DIR}/locale/locale_numbers.c)
target_link_libraries(locale_numbers PRIVATE intake_core ik_warnings)
add_test(NAME locale_numbers
  COMMAND locale_numbers ${CMAKE_CURRENT_SOURCE_DIR}/locale/decimal_pack.json)
set_tests_properties(locale_numbers PROPERTIES LABELS unit
  FIXTURES_REQUIRED ik_locale_de
  ENVIRONMENT "LOCPATH=${IK_LOCALE_DIR};LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/locale/lsan.supp")
