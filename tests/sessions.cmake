# sessions.cmake -- end-to-end tests of sessions through the real program
# (tests/e2e_sessions/sessions_e2e.c): SIGKILL at random moments of
# pseudo-terminal interviews in batches (120 kills in all), file modes,
# symbolic links, a file-size limit, damaged files, --answers, round trips
# through export, `intake sessions`, 200 pairs of processes creating one
# session at once, a session open in two intakes, files of killed saves,
# folders and files that are not ours, and saves that fail (a full tmpfs,
# a read-only folder, the file replaced), a session its own pack rejects,
# a changed pack's answers left out, and FIFOs. Label `e2e`.
add_executable(sessions_e2e ${CMAKE_CURRENT_SOURCE_DIR}/e2e_sessions/sessions_e2e.c)
target_link_libraries(sessions_e2e PRIVATE intake_core util ik_warnings)
set(IK_SESSIONS_PACK ${CMAKE_SOURCE_DIR}/tests/data/sessions/pack.json)
foreach(batch 1 2 3 4)
  add_test(NAME e2e_sessions_kill_${batch}
           COMMAND sessions_e2e $<TARGET_FILE:intake> ${IK_SESSIONS_PACK}
                   kill ${batch} 30)
endforeach()
add_test(NAME e2e_sessions_race
         COMMAND sessions_e2e $<TARGET_FILE:intake> ${IK_SESSIONS_PACK} race 200)
foreach(t files damaged answers roundtrip list summary lock trust full replay fifo)
  add_test(NAME e2e_sessions_${t}
           COMMAND sessions_e2e $<TARGET_FILE:intake> ${IK_SESSIONS_PACK} ${t})
endforeach()
get_property(ik_sess_tests DIRECTORY PROPERTY TESTS)
foreach(t ${ik_sess_tests})
  if(t MATCHES "^e2e_sessions_")
    set_tests_properties(${t} PROPERTIES LABELS e2e TIMEOUT 120)
  endif()
endforeach()
