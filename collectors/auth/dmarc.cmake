# The dmarc collector, `check dmarc` and `check all` (included from
# CMakeLists.txt; lists only files that exist).
target_sources(mailrep_auth PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/check_all.cc
  ${CMAKE_CURRENT_LIST_DIR}/dmarc_collector.cc)
# `check all` prints each IP's listing with `check dnsbl`'s own code.
target_link_libraries(mailrep_auth PUBLIC mailrep_dnsbl)

mailrep_add_test(dmarc_test
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/check_all_test.cc
    ${CMAKE_CURRENT_LIST_DIR}/dmarc_collector_test.cc
  LIBS mailrep_auth yaml-cpp)
