# MTA-STS / TLS-RPT part of the auth checks (included from CMakeLists.txt).
# Lists only its own files.
target_sources(mailrep_auth PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/mta_sts_check.cc
  ${CMAKE_CURRENT_LIST_DIR}/mta_sts_collector.cc
  ${CMAKE_CURRENT_LIST_DIR}/mta_sts_fetcher.cc
  ${CMAKE_CURRENT_LIST_DIR}/mta_sts_record.cc
  ${CMAKE_CURRENT_LIST_DIR}/tls_rpt_record.cc)
target_link_libraries(mailrep_auth PUBLIC CURL::libcurl)

mailrep_add_test(mta_sts_test
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/mta_sts_check_test.cc
    ${CMAKE_CURRENT_LIST_DIR}/mta_sts_collector_test.cc
    ${CMAKE_CURRENT_LIST_DIR}/mta_sts_record_test.cc
    ${CMAKE_CURRENT_LIST_DIR}/tls_rpt_record_test.cc
  LIBS mailrep_auth)

# Real HTTPS fetches against a local server (tests/mta_sts/https_server.py)
# with a CA made by openssl in the test. Exit 77 (skipped) without
# /usr/bin/openssl or /usr/bin/python3.
if(TARGET mailrep_dns_testing)
  add_executable(mta_sts_fetch_test ${CMAKE_CURRENT_LIST_DIR}/mta_sts_fetch_test.cc)
  target_link_libraries(mta_sts_fetch_test PRIVATE mailrep_auth mailrep_dns_testing GTest::gtest)
  add_test(NAME mta_sts_fetch_test COMMAND mta_sts_fetch_test)
  set_tests_properties(mta_sts_fetch_test PROPERTIES
    LABELS e2e SKIP_RETURN_CODE 77 TIMEOUT 120
    ENVIRONMENT "MAILREP_SOURCE_DIR=${CMAKE_SOURCE_DIR};PYTHONDONTWRITEBYTECODE=1")
endif()

mailrep_add_fuzzer(mta_sts_fuzzer
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/mta_sts_fuzzer.cc LIBS mailrep_auth)
