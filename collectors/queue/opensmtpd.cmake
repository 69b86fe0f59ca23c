# OpenSMTPD queue reader (included from CMakeLists.txt; lists only its own files).
target_sources(mailrep_queue PRIVATE opensmtpd_envelope.cc opensmtpd_queue_scan.cc)

mailrep_add_test(opensmtpd_queue_test
  SOURCES opensmtpd_envelope_test.cc opensmtpd_queue_scan_test.cc queue_test_util.cc
  LIBS mailrep_queue)
target_compile_definitions(opensmtpd_queue_test PRIVATE
  MAILREP_QUEUE_FIXTURES="${CMAKE_SOURCE_DIR}/tests/queue/fixtures")

mailrep_add_fuzzer(opensmtpd_envelope_fuzzer SOURCES opensmtpd_envelope_fuzzer.cc
                   LIBS mailrep_queue)

# Against a real OpenSMTPD (root; Debian's opensmtpd binaries unpacked, private
# mount namespace): messages, envelopes, the queued/deferred split, ages, sizes,
# destinations and reasons must match `smtpctl show queue` and smtpd's log.
add_test(NAME queue_opensmtpd_e2e
         COMMAND ${CMAKE_SOURCE_DIR}/tests/e2e/netns_run.sh
                 ${CMAKE_SOURCE_DIR}/tests/queue/opensmtpd_e2e.sh
                 $<TARGET_FILE:queue_scan>)
set_tests_properties(queue_opensmtpd_e2e PROPERTIES LABELS e2e SKIP_RETURN_CODE 77 TIMEOUT 180
                     RUN_SERIAL TRUE)
