# check_cli.cmake -- the `intake check` command line: exit codes, --strict,
# --format json, --help, missing files, usage errors.
# A test-case file (NAME.tests.json) is checked against its pack NAME.json,
# so `intake check rules/*.json` works as the README writes it.
# cmake -DEXE=intake -DDIR=tests/packs -DTMP=scratch-folder -P check_cli.cmake
set(failures "")
function(run expect_rc)
  execute_process(COMMAND ${EXE} check ${ARGN} WORKING_DIRECTORY ${DIR}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  set(out "${out}" PARENT_SCOPE)
  set(err "${err}" PARENT_SCOPE)
  if(NOT rc EQUAL expect_rc)
    set(failures "${failures}\n'check ${ARGN}': exit ${rc}, expected ${expect_rc}: ${err}" PARENT_SCOPE)
  endif()
endfunction()
function(expect what text pattern)
  if(NOT "${text}" MATCHES "${pattern}")
    set(failures "${failures}\n${what}: '${text}' does not match '${pattern}'" PARENT_SCOPE)
  endif()
endfunction()

run(64)
expect("no file" "${err}" "^intake check: no rule pack given\nTry")
run(64 --bogus good/minimal.json)
expect("unknown option" "${err}" "unknown option '--bogus'")
run(64 --format xml good/minimal.json)
expect("bad format" "${err}" "unknown format 'xml'")
run(0 --help)
expect("help" "${out}" "^Usage: intake check \\[--strict\\]")
run(66 no-such-pack.json)
expect("missing file" "${err}" "^no-such-pack.json: error: cannot open: No such file or directory\n$")
run(66 no-such-pack.json bad/lint_unknown_rung.json)
run(66 good)
expect("a directory" "${err}" "^good: error: is a directory, not a regular file\n$")
run(0 good/minimal.json)
expect("summary" "${out}" "^good/minimal.json: ok \\(3 questions, 1 sections, 1 rules, 1 red flags\\)\n$")
expect("clean stderr" "${err}" "^$")
run(0 warn/unread_question.json)
expect("warning printed" "${err}" "^warn/unread_question.json:42:13: warning: question \"age\": no condition reads")
expect("summary with warnings" "${out}" "^warn/unread_question.json: ok, 1 warning \\(")
run(65 --strict warn/unread_question.json)
# what an answer may cost (issue 18 item 6): estimated, and warned about
run(0 warn/costly_conditions.json)
expect("cost of one evaluation" "${err}" "costly_conditions.json:71:16: warning: derived value \"tried_heat\": value may take up to about 3003003002 node visits to evaluate")
expect("cost of one answer" "${err}" "costly_conditions.json: warning: the pack's conditions and derived values may take up to about 3003003016 node visits, and an answer evaluates them at least twice")
run(65 --strict warn/costly_conditions.json)
expect("strict prints no summary" "${out}" "^$")
# a condition FHIR form renderers could not run: a warning naming it, an
# error under --strict, and 'intake export --questionnaire' refuses it
run(0 warn/no_fhirpath.json)
expect("no FHIRPath form" "${err}" "^warn/no_fhirpath.json:40:22: warning: question 'score': its enable_when cannot be written as FHIRPath for FHIR form renderers: 'missing' has no FHIRPath form here\n$")
run(65 --strict warn/no_fhirpath.json)
execute_process(COMMAND ${EXE} export --questionnaire warn/no_fhirpath.json
  WORKING_DIRECTORY ${DIR} RESULT_VARIABLE rc OUTPUT_VARIABLE out
  ERROR_VARIABLE err)
if(NOT rc EQUAL 65 OR NOT out STREQUAL "")
  set(failures "${failures}\nexport --questionnaire of a pack FHIRPath cannot hold: exit ${rc}, stdout '${out}'")
endif()
expect("export names it" "${err}" "^warn/no_fhirpath.json:40:22: error: question 'score': its enable_when cannot be written as FHIRPath")
# nurse text for a question but not for its options: --strict only
run(0 warn/nurse_options.json)
expect("not without --strict" "${err}" "^$")
run(65 --strict warn/nurse_options.json)
expect("nurse options" "${err}" "^warn/nurse_options.json:12:13: warning: question \"where\": nurse text for the question but not for 1 of its 2 options\n$")
run(65 good/minimal.json bad/lint_unknown_rung.json)
expect("good then bad" "${out}" "^good/minimal.json: ok")

run(65 --format json bad/lint_unknown_section.json warn/unread_question.json)
expect("json only on stdout" "${err}" "^$")
string(JSON n LENGTH "${out}")
if(NOT n EQUAL 2)
  set(failures "${failures}\njson: ${n} elements, expected 2: ${out}")
else()
  string(JSON file GET "${out}" 0 file)
  string(JSON line GET "${out}" 0 line)
  string(JSON col GET "${out}" 0 col)
  string(JSON sev GET "${out}" 0 severity)
  string(JSON path GET "${out}" 0 path)
  string(JSON msg GET "${out}" 0 message)
  string(JSON sev2 GET "${out}" 1 severity)
  expect("json element" "${file}:${line}:${col} ${sev} ${path} ${sev2}"
    "^bad/lint_unknown_section.json:117:11 error /rules/0/then/sections/0 warning$")
  expect("json message" "${msg}" "unknown section \"abut\" \\(did you mean \"about\"\\?\\)")
endif()
run(0 --format=json good/minimal.json)
expect("json clean" "${out}" "^\\[\\]\n$")

# Test-case files: the shipped ones check clean beside their packs, in one
# glob as the README writes it; a case naming an unknown question is an
# error at its FILE:LINE:COL; a case file without its pack is 66.
file(GLOB rules_json ${DIR}/../../rules/*.json)
run(0 ${rules_json})
expect("pack and cases in one glob" "${out}"
  "failed-back-syndrome.json: ok .*failed-back-syndrome.tests.json: ok \\([0-9]+ test cases for [^)]*failed-back-syndrome.json\\)\n$")
file(REMOVE_RECURSE ${TMP})
file(MAKE_DIRECTORY ${TMP})
file(COPY ${DIR}/good/minimal.json DESTINATION ${TMP})
file(WRITE ${TMP}/minimal.tests.json "{\"pack\": \"corpus-base\", \"cases\": [
  {\"id\": \"a\", \"description\": \"d\", \"answers\": {\"pain\": true},
   \"expect\": {\"disposition\": \"routine\"}},
  {\"id\": \"b\", \"description\": \"d\", \"answers\": {\"pian\": true},
   \"expect\": {\"disposition\": \"routine\"}}]}\n")
run(65 ${TMP}/minimal.json ${TMP}/minimal.tests.json)
expect("case file error" "${err}" "minimal.tests.json:4:47: error: no question has the id 'pian'")
expect("its pack still checked" "${out}" "minimal.json: ok")
file(RENAME ${TMP}/minimal.json ${TMP}/other.json)
run(66 ${TMP}/minimal.tests.json)
expect("pack missing" "${err}" "minimal.tests.json: error: its pack .*minimal.json does not load")
file(REMOVE_RECURSE ${TMP})

if(failures)
  message(FATAL_ERROR "intake check:${failures}")
endif()
