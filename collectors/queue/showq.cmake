# Postfix showq-socket reader, the Postfix scanner's cache and their tests
# (owned by the showq work; lists only files that exist).
target_sources(mailrep_queue PRIVATE ${CMAKE_CURRENT_LIST_DIR}/postfix_showq.cc)

mailrep_add_test(postfix_showq_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/postfix_showq_test.cc
          ${CMAKE_CURRENT_LIST_DIR}/postfix_queue_source_test.cc
          ${CMAKE_CURRENT_LIST_DIR}/postfix_fake_showq.cc
          ${CMAKE_CURRENT_LIST_DIR}/queue_test_util.cc
  LIBS mailrep_queue mailrep_queue_testing)
target_compile_definitions(postfix_showq_test PRIVATE
  MAILREP_QUEUE_FIXTURES="${CMAKE_SOURCE_DIR}/tests/queue/fixtures")

mailrep_add_fuzzer(postfix_showq_fuzzer
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/postfix_showq_fuzzer.cc LIBS mailrep_queue)

# Against a real Postfix whose master runs showq (root; Debian's postfix):
# our showq reader and postqueue -j must agree, and a reader running as
# nobody (group postdrop) that cannot read the spool must choose showq
# (queue_scan postfix DIR [--showq] --print-source).
add_test(NAME queue_postfix_showq_e2e
         COMMAND ${CMAKE_SOURCE_DIR}/tests/e2e/netns_run.sh
                 ${CMAKE_SOURCE_DIR}/tests/queue/postfix_showq_e2e.sh
                 $<TARGET_FILE:queue_scan>)
set_tests_properties(queue_postfix_showq_e2e PROPERTIES LABELS e2e SKIP_RETURN_CODE 77
                     TIMEOUT 300 RUN_SERIAL TRUE)
