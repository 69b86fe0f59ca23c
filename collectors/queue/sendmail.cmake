# Sendmail queue reader (include()d by CMakeLists.txt; lists only its own files).
target_sources(mailrep_queue PRIVATE sendmail_queue_file.cc sendmail_queue_scan.cc)

mailrep_add_test(sendmail_queue_test
  SOURCES sendmail_queue_file_test.cc sendmail_queue_scan_test.cc queue_test_util.cc
  LIBS mailrep_queue)
target_compile_definitions(sendmail_queue_test PRIVATE
  MAILREP_QUEUE_FIXTURES="${CMAKE_SOURCE_DIR}/tests/queue/fixtures")

mailrep_add_fuzzer(sendmail_queue_file_fuzzer SOURCES sendmail_queue_file_fuzzer.cc
                   LIBS mailrep_queue)

# Against a real Sendmail (root; Debian's sendmail-bin unpacked, private mount
# namespace): counts, bytes and pending recipients must equal mailq's.
add_test(NAME queue_sendmail_e2e
         COMMAND ${CMAKE_SOURCE_DIR}/tests/e2e/netns_run.sh
                 ${CMAKE_SOURCE_DIR}/tests/queue/sendmail_e2e.sh
                 $<TARGET_FILE:queue_scan>)
set_tests_properties(queue_sendmail_e2e PROPERTIES LABELS e2e SKIP_RETURN_CODE 77 TIMEOUT 120
                     RUN_SERIAL TRUE)
